# typeguard 3 names (check_type(value, type), TypeCheckError) over Debian's typeguard 2, for pyinfra 3 in the benchmark.
import importlib.util, sys, os
_spec = importlib.util.spec_from_file_location("_typeguard2", "/usr/lib/python3/dist-packages/typeguard.py")
_tg = importlib.util.module_from_spec(_spec); _spec.loader.exec_module(_tg)
class TypeCheckError(TypeError):
    pass
def check_type(value, expected_type):
    try:
        _tg.check_type("value", value, expected_type)
    except TypeError as error:
        raise TypeCheckError(str(error)) from error
    return value
