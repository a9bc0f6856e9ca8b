export const VAULT_HELP = `Usage: rackplay vault ACTION [options] [FILE...]

Reads and writes Ansible Vault files (format 1.1 and 1.2, AES256), so existing vaults work as they are.

Actions:
  encrypt [FILE...]        encrypt files in place (stdin to stdout without FILE); --output FILE|-
  decrypt [FILE...]        decrypt files in place (stdin to stdout without FILE); --output FILE|-
  view FILE...             print the plaintext; nothing is written to disk
  create FILE              open $EDITOR on a new file, then save it encrypted
  edit FILE                decrypt into $EDITOR (a private temp folder, removed after), re-encrypt
  rekey FILE...            re-encrypt with --new-vault-id LABEL@SOURCE or --new-vault-password-file
  encrypt_string [STRING...]
                           print a '!vault |' YAML value for each STRING (-n NAME names it;
                           without STRING, or with --stdin-name NAME, the value is read from stdin)

Password options (without any: RACKPLAY_VAULT_PASSWORD_FILE if set, else the terminal asks):
      --vault-id [LABEL@]SOURCE   SOURCE: a file, an executable printing the password, or 'prompt';
                                  repeatable; decryption tries the id named in the file first
      --vault-password-file FILE  same as --vault-id FILE; RACKPLAY_VAULT_PASSWORD_FILE when none is given
  -J, --ask-vault-pass            ask on the terminal (stdin must be a terminal)
      --encrypt-vault-id LABEL    which id encrypts when several are given (a 1.2 header names it)

Every write goes to a temp file renamed over the target: a file is never half written.
Errors exit 1 with a code (E_VAULT_DECRYPT, E_VAULT_FORMAT, E_VAULT_NO_SECRET, E_VAULT_PASSWORD…);
bad options exit 5.`;
