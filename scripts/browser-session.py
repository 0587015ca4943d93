#!/usr/bin/env python3
"""Drive a headless Chromium through the ssr-demo shop, as a user would, over the DevTools protocol.

Usage: browser-session.py --chromium /usr/bin/chromium --url http://127.0.0.1:PORT/ [--timeout 60]

The scenario: open the server-rendered home page (--url), wait until it is loaded, has
window.swiftRUM and has painted, click #add-to-cart with a real mouse
click (an interaction for INP, and the input that finalizes LCP), flush rum.js
(swiftRUM.flush()), click #to-csr to the client-rendered page /app, wait until it is ready
(document.body.dataset.ready == "true") and painted, click #add-to-cart and #trigger-error there, flush,
and leave for about:blank so that the page is hidden and rum.js posts its final vitals.

Prints one line of JSON on stdout:
  {"ssrTraceparent": ..., "csrTraceparent": ..., "consoleErrors": [...], "ssrStats": {...}, "csrStats": {...}}
and exits 0; exits 1 with a one-line reason on stderr naming the step that failed or timed out.
Page console messages, exceptions and browser log entries are copied to stderr as they come.

Needs Python 3.11 and the websocket-client package. Chromium runs with a temporary profile
that is removed at the end, and is always stopped, whatever happens.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket  # PyPI: websocket-client


class StepFailed(Exception):
    """A step of the scenario failed or timed out."""


class Deadline:
    """The time left for the whole session; every wait is bounded by it."""

    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self, cap=None):
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise StepFailed("out of time (--timeout)")
        return remaining if cap is None else min(remaining, cap)


def log(text):
    print(text, file=sys.stderr, flush=True)


class Browser:
    """A Chromium process with a temporary profile, started headless with remote debugging."""

    def __init__(self, chromium, deadline):
        self.profile = tempfile.mkdtemp(prefix="browser-session-")
        self.process = None
        self.chromium = chromium
        self.deadline = deadline

    def start(self):
        arguments = [
            self.chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0",
            f"--user-data-dir={self.profile}", "--no-first-run", "--disable-extensions", "about:blank",
        ]
        # A session of its own, so that stop() reaches the renderer and helper processes too.
        try:
            self.process = subprocess.Popen(
                arguments, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as error:
            raise StepFailed(f"cannot run {self.chromium}: {error}") from None
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        end = time.monotonic() + self.deadline.left(20)
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise StepFailed(f"chromium exited with status {self.process.returncode}")
            try:
                with open(port_file) as file:
                    port = file.readline().strip()
                if port:
                    return int(port)
            except (FileNotFoundError, ValueError):
                pass
            time.sleep(0.05)
        raise StepFailed("no DevToolsActivePort within 20 s")

    def page_websocket_url(self, port):
        end = time.monotonic() + self.deadline.left(10)
        while time.monotonic() < end:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2) as response:
                    targets = json.load(response)
                for target in targets:
                    if target.get("type") == "page" and target.get("webSocketDebuggerUrl"):
                        return target["webSocketDebuggerUrl"]
            except OSError:
                pass
            time.sleep(0.1)
        raise StepFailed("no page target within 10 s")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
                try:
                    os.killpg(self.process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.process.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        # Helpers may write to the profile for a moment after the main process is gone.
        for _ in range(10):
            shutil.rmtree(self.profile, ignore_errors=True)
            if not os.path.exists(self.profile):
                break
            time.sleep(0.2)


class Page:
    """A DevTools protocol session with one page: commands, events and helpers for the scenario."""

    def __init__(self, websocket_url, deadline):
        self.deadline = deadline
        self.socket = websocket.create_connection(websocket_url, timeout=deadline.left(10), suppress_origin=True)
        self.next_id = 0
        self.console_errors = []
        self.load_events = 0

    def close(self):
        self.socket.close()

    def _handle_event(self, message):
        method = message.get("method")
        params = message.get("params", {})
        if method == "Runtime.consoleAPICalled":
            text = " ".join(describe_remote_object(argument) for argument in params.get("args", []))
            log(f"page console.{params.get('type')}: {text}")
            if params.get("type") == "error":
                self.console_errors.append(text)
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            exception = details.get("exception") or {}
            text = exception.get("description") or details.get("text", "exception")
            log(f"page exception: {text}")
            self.console_errors.append(text.splitlines()[0])
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            # Network and CORS failures come this way: worth seeing, but not the page's console errors.
            log(f"browser log {entry.get('level')} ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}".rstrip())
        elif method == "Page.loadEventFired":
            self.load_events += 1

    def _receive(self, seconds):
        """One message within `seconds`, or None."""
        self.socket.settimeout(max(seconds, 0.001))
        try:
            return json.loads(self.socket.recv())
        except websocket.WebSocketTimeoutException:
            return None

    def call(self, method, params=None, timeout=10):
        self.next_id += 1
        command_id = self.next_id
        self.socket.send(json.dumps({"id": command_id, "method": method, "params": params or {}}))
        end = time.monotonic() + self.deadline.left(timeout)
        while True:
            remaining = end - time.monotonic()
            if remaining <= 0:
                raise StepFailed(f"{method}: no answer within {timeout} s")
            message = self._receive(remaining)
            if message is None:
                continue
            if message.get("id") == command_id:
                if "error" in message:
                    raise StepFailed(f"{method}: {message['error'].get('message')}")
                return message.get("result", {})
            self._handle_event(message)

    def pump(self, seconds):
        """Handles events for `seconds` (a bounded wait that keeps the console forwarded)."""
        end = time.monotonic() + self.deadline.left(seconds)
        while (remaining := end - time.monotonic()) > 0:
            message = self._receive(remaining)
            if message is not None:
                self._handle_event(message)

    def evaluate(self, expression, timeout=10):
        """The value of `expression` (awaited if a promise); a thrown exception fails the step."""
        result = self.call("Runtime.evaluate", {
            "expression": expression, "awaitPromise": True, "returnByValue": True, "timeout": timeout * 1000,
        }, timeout=timeout + 1)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise StepFailed((details.get("exception") or {}).get("description") or details.get("text", "exception"))
        return result.get("result", {}).get("value")

    def wait_for(self, expression, timeout):
        """Polls `expression` until it is truthy; evaluation errors (a navigation underway) are retried."""
        end = time.monotonic() + self.deadline.left(timeout)
        last_error = None
        while time.monotonic() < end:
            try:
                if self.evaluate(expression, timeout=2):
                    return
            except StepFailed as error:
                last_error = error
            self.pump(0.1)
        raise StepFailed(f"{expression} not true within {timeout} s" + (f" (last error: {last_error})" if last_error else ""))

    def navigate(self, url, timeout):
        loads = self.load_events
        result = self.call("Page.navigate", {"url": url}, timeout=timeout)
        if result.get("errorText"):
            raise StepFailed(f"navigation to {url}: {result['errorText']}")
        end = time.monotonic() + self.deadline.left(timeout)
        while self.load_events == loads:
            remaining = end - time.monotonic()
            if remaining <= 0:
                raise StepFailed(f"{url} did not load within {timeout} s")
            message = self._receive(remaining)
            if message is not None:
                self._handle_event(message)

    def wait_painted(self, timeout):
        """Waits for the first contentful paint and then a rendered frame: a user sees the page
        before clicking, and an input before the paint would stop LCP before it had a candidate."""
        self.wait_for("performance.getEntriesByName('first-contentful-paint').length > 0", timeout=timeout)
        self.evaluate("new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))", timeout=timeout)

    def click(self, selector):
        """A real left click (mouse moved, pressed, released) at the centre of `selector`'s element."""
        box = self.evaluate(f"""(() => {{
            const element = document.querySelector({json.dumps(selector)});
            if (!element) return null;
            element.scrollIntoView({{block: 'center', inline: 'center'}});
            const rect = element.getBoundingClientRect();
            return {{x: rect.left + rect.width / 2, y: rect.top + rect.height / 2, width: rect.width, height: rect.height}};
        }})()""")
        if not box or box["width"] <= 0 or box["height"] <= 0:
            raise StepFailed(f"no visible element {selector}")
        x, y = box["x"], box["y"]
        self.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "buttons": 1 if kind == "mousePressed" else 0, "clickCount": 1})


def describe_remote_object(remote):
    if "value" in remote:
        value = remote["value"]
        return value if isinstance(value, str) else json.dumps(value)
    return remote.get("description") or remote.get("type", "?")


def run_scenario(page, url):
    step = "enable domains"
    results = {}
    try:
        for domain in ("Page", "Runtime", "Log"):
            page.call(f"{domain}.enable")

        step = "open the SSR page"
        page.navigate(url, timeout=20)
        page.wait_for("typeof window.swiftRUM === 'object'", timeout=10)
        page.wait_painted(timeout=10)
        results["ssrTraceparent"] = page.evaluate("swiftRUM.traceparent")

        step = "click #add-to-cart on the SSR page"
        page.click("#add-to-cart")
        page.pump(0.5)

        step = "flush the SSR page"
        page.evaluate("swiftRUM.flush().then(() => true)", timeout=10)
        results["ssrStats"] = page.evaluate("({...swiftRUM.stats})")

        step = "click #to-csr"
        page.click("#to-csr")
        page.wait_for("location.pathname === '/app' && document.body && document.body.dataset.ready === 'true'", timeout=20)
        page.wait_painted(timeout=10)
        results["csrTraceparent"] = page.evaluate("window.swiftRUM ? swiftRUM.traceparent : null")

        step = "click #add-to-cart on the CSR page"
        page.click("#add-to-cart")

        step = "click #trigger-error"
        page.click("#trigger-error")
        page.pump(0.5)

        step = "flush the CSR page"
        page.evaluate("swiftRUM.flush().then(() => true)", timeout=10)
        results["csrStats"] = page.evaluate("({...swiftRUM.stats})")

        step = "leave for about:blank"
        page.navigate("about:blank", timeout=10)
        page.pump(1.0)
    except StepFailed as error:
        raise StepFailed(f"{step}: {error}") from None
    except (websocket.WebSocketException, OSError) as error:
        raise StepFailed(f"{step}: DevTools connection: {error}") from None
    results["consoleErrors"] = page.console_errors
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", required=True, help="the Chromium executable")
    parser.add_argument("--url", required=True, help="the server-rendered home page")
    parser.add_argument("--timeout", type=float, default=60, help="seconds for the whole session (default 60)")
    arguments = parser.parse_args()

    deadline = Deadline(arguments.timeout)
    browser = Browser(arguments.chromium, deadline)
    page = None
    try:
        try:
            port = browser.start()
            page = Page(browser.page_websocket_url(port), deadline)
        except StepFailed as error:
            raise StepFailed(f"start chromium: {error}") from None
        except (websocket.WebSocketException, OSError) as error:
            raise StepFailed(f"start chromium: DevTools connection: {error}") from None
        results = run_scenario(page, arguments.url)
    except StepFailed as error:
        log(f"browser-session: failed: {error}")
        return 1
    finally:
        if page is not None:
            page.close()
        browser.stop()
    keys = ("ssrTraceparent", "csrTraceparent", "consoleErrors", "ssrStats", "csrStats")
    print(json.dumps({key: results.get(key) for key in keys}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
