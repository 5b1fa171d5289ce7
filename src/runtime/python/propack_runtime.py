"""ProPack's packed runtime for Python Lambda functions (standard library only; boto3 only for a result sink).

Deployed as the function's handler `propack_runtime.handler`; the user's `module.function` travels in
PROPACK_ORIGINAL_HANDLER and is imported here at module load, so it loads during Lambda's init as it would
without ProPack. Unpacked events go straight to the user's handler. A packed event
{"__propack": {"v": 1, "tasks": [{"id", "payload"}], "mode"?, "poolSize"?, "resultSink"?}} runs its tasks
in this one instance and answers every task, in request order: ok / error {type, message} / not-run.
A Step Functions Distributed Map batch {"Items": [tasks], "BatchInput": {"__propack": {"v": 1, ...}}} is the
same packed event with the Items as its tasks; an Items event without that BatchInput is the user's own.

Modes: `threads` (default; a ThreadPoolExecutor, right for I/O-bound tasks) and `processes` (one
multiprocessing.Process + Pipe per task, at most vCPUs at once, for CPU-bound tasks the GIL would
serialize). Lambda has no /dev/shm, so multiprocessing.Pool and Queue fail there; Process + Pipe work. A
child that dies fails only its task. Node's `async` mode is taken as `threads`. Times are epoch seconds.
"""

import importlib
import json
import multiprocessing
import os
import secrets
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

MARKER = "__propack"
VERSION = 1
MB_PER_VCPU = 1769
MAX_VCPUS = 6
# A task starts only while more than this remains; with RETURN_MARGIN_MS left the runtime answers anyway.
START_MARGIN_MS = int(os.environ.get("PROPACK_START_MARGIN_MS", "1000"))
RETURN_MARGIN_MS = int(os.environ.get("PROPACK_RETURN_MARGIN_MS", "250"))
SYNC_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024
# Threads one instance starts for a threads request at most (each holds a stack; Lambda caps a process at 1,024).
MAX_THREADS = 256
MODES = ("threads", "processes", "async")


def _load_original():
    """The user's handler function, named `module.function` (or `dir/module.function`) in PROPACK_ORIGINAL_HANDLER."""
    name = os.environ.get("PROPACK_ORIGINAL_HANDLER", "")
    module_name, dot, function_name = name.rpartition(".")
    if not dot or not module_name or not function_name:
        raise ImportError(f'PROPACK_ORIGINAL_HANDLER must be "module.function", got "{name}"')
    module = importlib.import_module(module_name.replace("/", "."))
    fn = getattr(module, function_name, None)
    if not callable(fn):
        raise AttributeError(f"Handler '{function_name}' missing on module '{module_name}'")
    return fn


_user = _load_original()
# Made once per module load: the module load is the execution environment's lifetime.
_generated_id = "i-" + secrets.token_hex(6)
_invocations = 0
_count_lock = threading.Lock()


def _positive_int(value):
    try:
        n = int(float(value))
    except (TypeError, ValueError):
        return None
    return n if n >= 1 else None


def instance_vcpus():
    """vCPUs of this instance: PROPACK_VCPUS, else Lambda's share of its memory size (1 per 1,769 MB, 1 to 6), else the host's."""
    forced = _positive_int(os.environ.get("PROPACK_VCPUS"))
    if forced:
        return forced
    memory = _positive_int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"))
    if memory:
        return min(MAX_VCPUS, max(1, -(-memory // MB_PER_VCPU)))
    return os.cpu_count() or 1


def instance_memory_mb():
    """Memory of this instance (MB): Lambda's configured size, else the host's total memory."""
    memory = _positive_int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"))
    if memory:
        return memory
    return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20)


def _instance_id(context):
    # The local platform hosts several instances per process: the context names the caller's.
    return getattr(context, "propack_instance_id", None) or os.environ.get("PROPACK_INSTANCE_ID") or _generated_id


def _deadline_ms(context):
    """Epoch ms by which the invocation must return (infinity without a Lambda context)."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if remaining is None:
        return float("inf")
    return time.time() * 1000 + remaining()


def _parse(req, at=MARKER, tasks_at=MARKER + ".tasks"):
    """The packed request, validated; raises TypeError naming the first bad field (`at`: the request's path in the event)."""
    if not isinstance(req, dict):
        raise TypeError(f"{at} must be an object")
    if req.get("v") != VERSION:
        raise TypeError(f"{at}.v must be {VERSION}, got {req.get('v')}")
    tasks = req.get("tasks")
    if not isinstance(tasks, list):
        raise TypeError(f"{tasks_at} must be an array")
    for i, t in enumerate(tasks):
        if not isinstance(t, dict) or not isinstance(t.get("id"), str):
            raise TypeError(f"{tasks_at}[{i}].id must be a string")
    mode = req.get("mode")
    if mode is not None and mode not in MODES:
        raise TypeError(f'{at}.mode must be "threads" or "processes"')
    size = req.get("poolSize")
    if size is not None and not (isinstance(size, int) and not isinstance(size, bool) and size >= 1):
        raise TypeError(f"{at}.poolSize must be a positive integer")
    sink = req.get("resultSink")
    if sink is not None and not (isinstance(sink, dict) and isinstance(sink.get("bucket"), str) and isinstance(sink.get("key"), str)):
        raise TypeError(f"{at}.resultSink must be {{ bucket, key }}")
    return req


def _is_batch(event):
    """A Map batch whose BatchInput carries the packed marker (an Items event without it is the user's own)."""
    return isinstance(event, dict) and isinstance(event.get("BatchInput"), dict) and MARKER in event["BatchInput"]


def _packed_request(event):
    """The validated packed request of a packed event or a Map batch, or None for any other event."""
    if not isinstance(event, dict):
        return None
    # The marker on the event itself wins: a packed event is never read as a batch.
    if MARKER in event:
        return _parse(event[MARKER])
    if not _is_batch(event):
        return None
    at = f"BatchInput.{MARKER}"
    req = event["BatchInput"][MARKER]
    if isinstance(req, dict):
        if "tasks" in req:
            raise TypeError(f"{at}.tasks must not be set: a batch's tasks are its Items")
        # One BatchInput is shared by every batch of the Map: one sink key would have every batch overwrite it.
        if "resultSink" in req:
            raise TypeError(f"{at}.resultSink must not be set: a Map's results go to its ResultWriter")
        req = {**req, "tasks": event.get("Items")}
    return _parse(req, at, "Items")


def _subject(task_id):
    return f'task "{task_id}"'


def _check_json(result, subject):
    """The result's JSON text, or a final error when JSON cannot carry it (a set, bytes, an object, NaN)."""
    try:
        return json.dumps(result, allow_nan=False), None
    except (TypeError, ValueError) as e:
        what = f"a {type(result).__name__}" if not isinstance(result, (dict, list)) else f"a value JSON cannot carry ({e})"
        return None, {"type": "Propack.ResultNotSerializable", "message": f"{subject} returned {what}, which JSON cannot carry", "retryable": False}


def _error_of(e):
    return {"type": type(e).__name__, "message": str(e)}


def _log_failure(task_id, e):
    # Inside a function the stack goes to the function's log, as Lambda logs an invocation's error.
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        text = "".join(traceback.format_exception(type(e), e, e.__traceback__))
        sys.stderr.write(f"ProPack task {task_id} failed: {text}")


def _finished(task, started, result=None, error=None, status="ok"):
    out = {"id": task["id"], "status": "error" if error else status, "startedAt": started, "endedAt": time.time()}
    if error:
        out["error"] = error
    elif result is not None:
        out["result"] = result
    return out


def _run_in_thread(task, context):
    started = time.time()
    try:
        result = _user(task.get("payload"), context)
    except Exception as e:  # noqa: BLE001 - any exception of the user's fails only its task
        _log_failure(task["id"], e)
        return _finished(task, started, error=_error_of(e))
    _, error = _check_json(result, _subject(task["id"]))
    return _finished(task, started, result=result, error=error)


def _die_with_parent(parent):
    """Linux: the child is killed when the instance's process dies (a timeout kills it), instead of running on."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the call took effect
        os._exit(1)


def _child(conn, task, context, parent):
    """Runs one task in a child process and sends ("ok", json) or ("error", {type, message}) back."""
    _die_with_parent(parent)
    try:
        result = _user(task.get("payload"), context)
        text, error = _check_json(result, _subject(task["id"]))
        conn.send(("error", error) if error else ("ok", text))
    except BaseException as e:  # noqa: BLE001 - reported as the task's error, whatever it is
        _log_failure(task["id"], e)
        try:
            conn.send(("error", _error_of(e)))
        except Exception:  # noqa: BLE001 - an error the pipe cannot pickle: send its text
            conn.send(("error", {"type": type(e).__name__, "message": repr(e)}))
    finally:
        conn.close()


class _ProcessTask:
    """One task's child process; `kill()` stops it when the invocation must return."""

    def __init__(self):
        self.proc = None
        self.lock = threading.Lock()
        self.abandoned = False

    def run(self, task, context, deadline_ms):
        started = time.time()
        fork = multiprocessing.get_context("fork")
        receive, send = fork.Pipe(duplex=False)
        with self.lock:
            if self.abandoned:
                return None
            self.proc = fork.Process(target=_child, args=(send, task, context, os.getpid()), daemon=True)
            self.proc.start()
        send.close()
        try:
            # Read before join: a child blocks writing a result larger than the pipe's buffer.
            kind, value = receive.recv()
        except (EOFError, OSError):
            self.proc.join()
            code = self.proc.exitcode
            why = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
            return _finished(task, started, error={"type": "Propack.ChildProcessDied", "message": f"{_subject(task['id'])}'s process died ({why})"})
        finally:
            receive.close()
        self.proc.join()
        if kind == "error":
            return _finished(task, started, error=value)
        return _finished(task, started, result=json.loads(value))

    def kill(self):
        with self.lock:
            self.abandoned = True
            if self.proc is not None and self.proc.is_alive():
                self.proc.kill()


def _schedule(tasks, size, deadline_ms, execute, on_abandon=None):
    """Runs tasks `size` at a time, each started only while the deadline allows; one result per task, in order."""
    results = [None] * len(tasks)
    started_at = [0.0] * len(tasks)
    state = {"next": 0, "active": 0, "done": False}
    cond = threading.Condition()

    def loop():
        while True:
            with cond:
                if state["done"] or state["next"] >= len(tasks):
                    return
                if time.time() * 1000 >= deadline_ms - START_MARGIN_MS:
                    now = time.time()
                    while state["next"] < len(tasks):
                        i = state["next"]
                        results[i] = {"id": tasks[i]["id"], "status": "not-run", "startedAt": now, "endedAt": now}
                        state["next"] += 1
                    cond.notify_all()
                    return
                i = state["next"]
                state["next"] += 1
                started_at[i] = time.time()
            r = execute(tasks[i])
            with cond:
                if not state["done"] and r is not None:
                    results[i] = r
                cond.notify_all()

    pool = ThreadPoolExecutor(max_workers=max(1, size), thread_name_prefix="propack-task")
    for _ in range(min(max(1, size), len(tasks))):
        pool.submit(loop)
    stop_at = deadline_ms - RETURN_MARGIN_MS
    with cond:
        while not all(r is not None for r in results):
            wait = (stop_at - time.time() * 1000) / 1000
            if wait <= 0:
                break
            cond.wait(None if wait == float("inf") else wait)
        state["done"] = True
        now = time.time()
        abandoned = False
        for i, task in enumerate(tasks):
            if results[i] is not None:
                continue
            if i < state["next"]:
                abandoned = True
                results[i] = {
                    "id": task["id"],
                    "status": "error",
                    "startedAt": started_at[i],
                    "endedAt": now,
                    "error": {"type": "DeadlineExceeded", "message": "task still running when the invocation had to return"},
                }
            else:
                results[i] = {"id": task["id"], "status": "not-run", "startedAt": now, "endedAt": now}
    if abandoned and on_abandon:
        on_abandon()
    # Threads still running abandoned tasks cannot be stopped; processes are killed by on_abandon.
    pool.shutdown(wait=not abandoned)
    return results


def _fit_response(tasks, envelope_bytes, limit):
    """Sheds the largest results as Propack.ResultTooLarge errors until the response fits Lambda's limit (bytes)."""
    sizes = {i: len(json.dumps(t["result"])) for i, t in enumerate(tasks) if "result" in t}
    total = envelope_bytes + len(json.dumps(tasks))
    initial = total
    for i in sorted(sizes, key=lambda k: -sizes[k]):
        if total <= limit:
            break
        t = tasks[i]
        alone = sizes[i] + envelope_bytes > limit
        del t["result"]
        t["status"] = "error"
        t["error"] = {
            "type": "Propack.ResultTooLarge",
            "message": (
                f"{_subject(t['id'])} returned {sizes[i]} bytes of JSON, over Lambda's {limit}-byte response limit on its own; return large results through S3"
                if alone
                else f"{_subject(t['id'])} returned {sizes[i]} bytes of JSON; with the batch's other results the response would be {initial} bytes, over Lambda's {limit}-byte limit"
            ),
        }
        if alone:
            t["error"]["retryable"] = False
        total -= sizes[i]


def _s3_client():
    """An S3 client for AWS_ENDPOINT_URL_S3 when set (the local platform): boto3 before 1.28 ignores that variable."""
    import boto3  # loaded only when a sink is used
    from botocore.config import Config

    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or None
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    # A local endpoint serves buckets as paths (http://127.0.0.1:port/bucket/key), not as host names.
    config = Config(s3={"addressing_style": "path"}) if endpoint else None
    # A session of its own: boto3's default session is not thread-safe, and instances may share a process.
    return boto3.session.Session().client("s3", region_name=region, endpoint_url=endpoint, config=config)


def _write_sink(sink, response):
    """Writes the response to S3 (boto3, which Lambda's Python runtime provides); an error object when that fails."""
    try:
        _s3_client().put_object(Bucket=sink["bucket"], Key=sink["key"], Body=json.dumps(response).encode(), ContentType="application/json")
        return None
    except Exception as e:  # noqa: BLE001 - reported in the response, never lost
        return {"type": type(e).__name__, "message": f"writing the result to s3://{sink['bucket']}/{sink['key']} failed: {e}"}


def _run_packed(req, context, cold):
    started = time.time()
    deadline = _deadline_ms(context)
    mode = req.get("mode") or os.environ.get("PROPACK_MODE") or "threads"
    tasks = req["tasks"]
    # Processes are for CPU-bound work: one per vCPU. Threads are for I/O-bound work, which waits without the
    # GIL: every task at once (as the Node runtime's async mode), up to a bound on threads per instance.
    size = req.get("poolSize") or (instance_vcpus() if mode == "processes" else max(1, min(len(tasks), MAX_THREADS)))
    if mode == "processes":
        running = []
        lock = threading.Lock()

        def execute(task):
            p = _ProcessTask()
            with lock:
                running.append(p)
            return p.run(task, context, deadline)

        def kill_all():
            with lock:
                for p in running:
                    p.kill()

        results = _schedule(tasks, size, deadline, execute, kill_all)
    else:
        results = _schedule(tasks, size, deadline, lambda task: _run_in_thread(task, context))
    body = {
        "v": VERSION,
        "instance": {"id": _instance_id(context), "cold": cold, "vcpus": instance_vcpus(), "memoryMb": instance_memory_mb()},
        "startedAt": started,
        "endedAt": time.time(),
        "tasks": results,
    }
    if not req.get("resultSink"):
        envelope = len(json.dumps({MARKER: {**body, "tasks": []}})) + 64
        _fit_response(results, envelope, SYNC_RESPONSE_LIMIT_BYTES)
    return {MARKER: body}


def handler(event, context=None):
    """The deployed Lambda handler: packed events run here, anything else goes to the user's handler unchanged."""
    global _invocations
    with _count_lock:
        _invocations += 1
        cold = _invocations == 1
    req = _packed_request(event)
    if req is None:
        return _user(event, context)
    response = _run_packed(req, context, cold)
    sink = req.get("resultSink")
    if sink:
        error = _write_sink(sink, response)
        if error:
            # An Event invocation's response goes nowhere: the log is where a failed write shows.
            sys.stderr.write(f"ProPack result sink: {error['type']}: {error['message']}\n")
            response[MARKER]["sinkError"] = error
    return response
