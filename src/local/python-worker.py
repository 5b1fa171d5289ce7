"""Worker process of the embedded platform for Python functions (spawned by worker-process.ts, `python3 -I`).

Speaks the platform's worker protocol (worker-protocol.ts) over Node's IPC channel: the file descriptor in
NODE_CHANNEL_FD carries one JSON array of messages per line each way. Hosts logical Lambda instances of ONE
function: each instance imports the handler module afresh (the package's modules are reloaded for it, so
module state is per instance); each invocation runs in a thread of its own, as instances run concurrently.
Standard library only. The sandbox: the environment is the function's (worker-process.ts passes only an
allowlist), the working directory is the code folder, and sys.path is the code folder followed by this
Python's standard library and installed packages (standing for what Lambda's runtime or a layer
provides); -I already left out PYTHONPATH, the user's site-packages and the script's own folder.
"""

import importlib
import json
import os
import resource
import sys
import threading
import time
import traceback

_channel = int(os.environ.pop("NODE_CHANNEL_FD"))
os.environ.pop("NODE_CHANNEL_SERIALIZATION_MODE", None)
_out_lock = threading.Lock()
_instances = {}
_load_lock = threading.Lock()
_code_dir = None
_logs = threading.local()
_active = {}


def _send(messages):
    data = (json.dumps(messages) + "\n").encode()
    with _out_lock:
        while data:
            data = data[os.write(_channel, data) :]


class _LogStream:
    """stdout/stderr: what an invocation's thread writes goes to that invocation's log (Lambda's log lines)."""

    def __init__(self, original):
        self.original = original

    def write(self, text):
        lines = getattr(_logs, "lines", None)
        if lines is None and len(_active) == 1:
            # A thread the handler started (threads mode): the only running invocation owns it.
            lines = next(iter(_active.values()), None)
        if lines is not None:
            lines.append(text)
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False


def _peak_memory_mb():
    # ru_maxrss is in KB on Linux; children (processes mode) count toward the instance's memory as on Lambda.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024)


class _Context:
    """Lambda's Python context object."""

    def __init__(self, m):
        name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.aws_request_id = m["requestId"]
        self.function_name = name
        self.function_version = "$LATEST"
        self.invoked_function_arn = m["functionArn"]
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = f"/aws/lambda/{name}"
        self.log_stream_name = m["instanceId"]
        self.propack_instance_id = m["instanceId"]
        self._deadline = m["deadline"]

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline - time.time() * 1000))


def _configure(env, code_dir):
    global _code_dir
    os.environ.update(env)
    os.chdir(code_dir)
    _code_dir = os.path.realpath(code_dir)
    sys.dont_write_bytecode = True  # Lambda's /var/task is read-only: no __pycache__ in the code folder
    sys.path[:] = [code_dir] + [p for p in sys.path if p and os.path.isabs(p) and not _inside(os.path.realpath(p), _code_dir)]


def _inside(path, folder):
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class _InitError(Exception):
    """A failure Lambda's Python runtime reports under its own error type (Runtime.*)."""

    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


def _load(handler):
    """Imports `module.function` afresh for a new instance: the package's modules already loaded are forgotten first."""
    module_name, dot, function_name = handler.rpartition(".")
    if not dot or not module_name:
        raise _InitError("Runtime.MalformedHandlerName", f"Bad handler '{handler}': not enough values to unpack (expected 2, got 1)")
    module_name = module_name.replace("/", ".")
    with _load_lock:
        for name, mod in list(sys.modules.items()):
            file = getattr(mod, "__file__", None)
            if file and _code_dir and _inside(os.path.realpath(file), _code_dir):
                del sys.modules[name]
        importlib.invalidate_caches()
        try:
            module = importlib.import_module(module_name)
        except SyntaxError as e:
            raise _InitError("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {e}") from e
        except ImportError as e:
            raise _InitError("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {e}") from e
    fn = getattr(module, function_name, None)
    if not callable(fn):
        raise _InitError("Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")
    return fn


def _error_body(e):
    if isinstance(e, _InitError):
        error_type = e.error_type
    else:
        error_type = type(e).__name__
    return {"errorMessage": str(e), "errorType": error_type, "requestId": "", "stackTrace": traceback.format_tb(e.__traceback__)}


def _invoke(m):
    lines = []
    _logs.lines = lines
    _active[m["requestId"]] = lines
    init_ms = None
    ok = True
    try:
        fn = _instances.get(m["instanceId"])
        if fn is None:
            t0 = time.perf_counter()
            fn = _load(m["handler"])
            _instances[m["instanceId"]] = fn
            init_ms = (time.perf_counter() - t0) * 1000
        result = fn(json.loads(m["payload"]), _Context(m))
        try:
            body = json.dumps(result)
        except (TypeError, ValueError) as e:
            raise _InitError("Runtime.MarshalError", f"Unable to marshal response: {e}") from e
    except Exception as e:  # noqa: BLE001 - any failure is the invocation's error, as Lambda reports it
        ok = False
        text = "".join(traceback.format_exception(type(e), e, e.__traceback__))
        lines.append(f"[ERROR] {type(e).__name__}: {e}\n{text}")
        body = json.dumps(_error_body(e))
    finally:
        _active.pop(m["requestId"], None)
    out = {"t": "result", "requestId": m["requestId"], "ok": ok, "body": body, "log": "".join(lines), "maxMemoryMb": _peak_memory_mb()}
    if init_ms is not None:
        out["initMs"] = init_ms
    _send([out])


def main():
    sys.stdout = _LogStream(sys.stdout)
    sys.stderr = _LogStream(sys.stderr)
    _send([{"t": "ready"}])
    reader = os.fdopen(_channel, "rb", buffering=0, closefd=False)
    pending = b""
    while True:
        chunk = reader.read(65536)
        if not chunk:
            os._exit(0)  # the platform is gone: do not linger
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            batch = json.loads(line) if line.strip() else []
            for m in batch if isinstance(batch, list) else []:
                if m["t"] == "configure":
                    _configure(m["env"], m["codeDir"])
                elif m["t"] == "drop":
                    _instances.pop(m["instanceId"], None)
                elif m["t"] == "invoke":
                    threading.Thread(target=_invoke, args=(m,), daemon=True).start()


if __name__ == "__main__":
    main()
