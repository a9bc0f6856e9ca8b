import { Writable } from 'node:stream';
import { LISTR_DEFAULT_RENDERER_STYLE, LISTR_LOGGER_STYLE, Listr, ListrLogger, ProcessOutput, Spinner } from 'listr2';
import type { ListrDefaultRendererLogLevels, ListrLogLevels } from 'listr2';
import type { Paint } from './style.js';
import type { TaskProgress } from './task-progress.js';

/** Redraws of the progress line at most this often, so hundreds of hosts reporting do not flicker. */
const REFRESH_MS = 100;

export interface ViewOptions {
  readonly out: NodeJS.WritableStream;
  readonly paint: Paint;
  readonly color: boolean;
  /** A terminal: listr2's live renderer. Otherwise its line-by-line fallback, without progress lines. */
  readonly live: boolean;
}

/**
 * Shows one task run as a listr2 task: a spinner and the hosts still running, then the summary.
 * The engine drives execution; the listr2 task only waits for task_end, so listr2 stays a view.
 */
export async function showTask(progress: TaskProgress, options: ViewOptions): Promise<void> {
  const title = `${progress.task.isHandler ? 'RUNNING HANDLER' : 'TASK'} [${progress.task.name || progress.task.module}]`;
  const processOutput = new ProcessOutput(options.out as NodeJS.WriteStream, discard() as unknown as NodeJS.WriteStream);
  const listr = new Listr(
    [
      {
        title,
        task: async (_ctx, task): Promise<void> => {
          let shown = '';
          const refresh = () => {
            const line = progress.progressLine(options.paint);
            if (line !== shown) task.output = shown = line;
          };
          const timer = options.live ? setInterval(refresh, REFRESH_MS).unref() : undefined;
          try {
            await progress.ended;
          } finally {
            clearInterval(timer);
          }
          task.title = `${title}  ${progress.summary(options.paint)}`;
          // Thrown for listr2's ✖ mark. The live view shows the message in place of the title;
          // the line fallback appends it to the title, so there it names the hosts instead.
          if (progress.failedHosts.length > 0) throw new Error(options.live ? task.title : hostList(progress.failedHosts));
        },
      },
    ],
    {
      renderer: 'default',
      fallbackRenderer: 'simple',
      // listr2 looks at process.stdout; what matters is the stream we write to.
      fallbackRendererCondition: !options.live,
      // The CLI owns SIGINT (first: stop gracefully; second: exit 99); listr2 would exit(127).
      registerSignalListeners: false,
      exitOnError: false,
      collectErrors: false,
      rendererOptions: {
        logger: new ListrLogger<ListrDefaultRendererLogLevels>({ processOutput, toStderr: [] }),
        spinner: new BackgroundSpinner(),
        formatOutput: 'truncate',
        collapseErrors: true,
        showErrorMessage: true,
        ...(options.color ? {} : { color: uncoloured(LISTR_DEFAULT_RENDERER_STYLE.color) }),
      },
      fallbackRendererOptions: {
        logger: new ListrLogger<ListrLogLevels>({ processOutput, toStderr: [] }),
        ...(options.color ? {} : { color: uncoloured(LISTR_LOGGER_STYLE.color) }),
      },
    },
  );
  await listr.run();
}

function hostList(hosts: readonly string[]): string {
  return hosts.length > 5 ? `${hosts.slice(0, 5).join(', ')} +${hosts.length - 5} more` : hosts.join(', ');
}

/** listr2's spinner, but its timer does not keep the process alive if a run is abandoned. */
class BackgroundSpinner extends Spinner {
  private timer: NodeJS.Timeout | undefined;

  override start(callback?: () => void, interval = 100): void {
    this.timer = setInterval(() => {
      this.spin();
      callback?.();
    }, interval).unref();
  }

  override stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  override isRunning(): boolean {
    return this.timer !== undefined;
  }
}

/** The same levels as listr2's palette, each left as it is. */
function uncoloured<Level extends string>(colours: Partial<Record<Level, unknown>> | undefined): Partial<Record<Level, (text?: string) => string>> {
  return Object.fromEntries(Object.keys(colours ?? {}).map((level) => [level, (text?: string) => text ?? ''])) as Partial<Record<Level, (text?: string) => string>>;
}

/**
 * listr2 hijacks the stderr it is given while rendering and replays it afterwards; it writes
 * nothing there itself. A private sink keeps the real stderr untouched, so an error the CLI
 * prints while a view is open is never swallowed.
 */
function discard(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}
