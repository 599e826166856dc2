#!/usr/bin/env python3
"""Plays a scripted conversation with a line-based TCP server, like a tiny `expect`.

    tcp-dialog.py HOST PORT [TIMEOUT_SECONDS] < steps

Each line of steps is one of:
    expect REGEX   wait until everything received so far (since the last match) matches REGEX
    send TEXT      send TEXT and a newline (UTF-8)
    close          close the connection

Prints what the server said, so a failure shows where the conversation went wrong. Exits 1 when an
expectation is not met in time or the server hangs up first.
"""
import re
import socket
import sys
import time


def main() -> int:
    host, port = sys.argv[1], int(sys.argv[2])
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 15.0
    steps = [line.rstrip("\n") for line in sys.stdin if line.strip()]

    sock = socket.create_connection((host, port), timeout=timeout)
    received = ""  # text not yet consumed by an expect
    for step in steps:
        verb, _, argument = step.partition(" ")
        if verb == "send":
            sock.sendall((argument + "\n").encode("utf-8"))
            print(f">>> {argument}", file=sys.stderr)
        elif verb == "close":
            sock.close()
            return 0
        elif verb == "expect":
            pattern = re.compile(argument)
            deadline = time.monotonic() + timeout
            while not (match := pattern.search(received)):
                left = deadline - time.monotonic()
                if left <= 0:
                    print(f"tcp-dialog: timed out waiting for /{argument}/; unmatched text: {received!r}", file=sys.stderr)
                    return 1
                sock.settimeout(left)
                try:
                    chunk = sock.recv(65536)
                except socket.timeout:
                    continue
                if not chunk:
                    print(f"tcp-dialog: server closed the connection while waiting for /{argument}/; unmatched text: {received!r}", file=sys.stderr)
                    return 1
                text = chunk.decode("utf-8", errors="replace")
                sys.stderr.write("".join(f"<<< {line}\n" for line in text.splitlines()))
                received += text
            received = received[match.end():]
        else:
            print(f"tcp-dialog: unknown step {step!r}", file=sys.stderr)
            return 2
    sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
