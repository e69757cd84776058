"""Starts a language server command, sends `initialize` over stdio and checks the answer.

    python3 lsp_initialize.py PODLINT lsp --stdio

Prints the server's name and capabilities; exits 1 if the answer is missing, late or not an
`initialize` result. Then `shutdown` and `exit`, as an editor would, and checks the exit status.
"""

import json
import subprocess
import sys
import threading

TIMEOUT = 20


def send(pipe, message):
    body = json.dumps(message).encode()
    pipe.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    pipe.flush()


def read(pipe):
    length = None
    while True:
        line = pipe.readline()
        if not line:
            raise EOFError("the server closed its output")
        line = line.strip()
        if not line:
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return json.loads(pipe.read(length))


def answer(pipe, request_id):
    """The response to `request_id`, skipping notifications and requests from the server."""
    while True:
        message = read(pipe)
        if message.get("id") == request_id and "method" not in message:
            return message


def main(command):
    server = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    timer = threading.Timer(TIMEOUT, server.kill)
    timer.start()
    try:
        send(server.stdin, {
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"processId": None, "rootUri": None, "capabilities": {}},
        })
        result = answer(server.stdout, 1).get("result") or {}
        capabilities = result.get("capabilities")
        if not capabilities:
            raise RuntimeError(f"no capabilities in the initialize answer: {result}")
        print(f"initialize: {result.get('serverInfo')}, capabilities: {', '.join(sorted(capabilities))}")
        send(server.stdin, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
        send(server.stdin, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        answer(server.stdout, 2)
        send(server.stdin, {"jsonrpc": "2.0", "method": "exit"})
        server.stdin.close()
        status = server.wait()
        if status != 0:
            raise RuntimeError(f"exit after shutdown returned {status}")
    except Exception as error:  # any failure is the test's failure, with the server's stderr
        server.kill()
        stderr = server.stderr.read().decode(errors="replace")
        print(f"FAIL: {' '.join(command)}: {error}\n{stderr}", file=sys.stderr)
        return 1
    finally:
        timer.cancel()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
