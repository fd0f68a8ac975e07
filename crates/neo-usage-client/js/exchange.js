// The client's one GET over `fetch` (see src/transport.rs, which keeps every
// decision: URL, credentials, retries, statuses, cancellation).

// Resolves with [status, retryAfter (non-2xx only, else null), body bytes];
// rejects with { timedOut: true } once timeoutMs (0: none) passes, else with
// what fetch or the body's read threw. Aborts `controller` on the timeout.
export async function exchange(url, headerName, headerValue, timeoutMs, controller) {
  let timedOut = false;
  const timer = timeoutMs > 0
    ? setTimeout(() => { timedOut = true; controller.abort(); }, timeoutMs)
    : undefined;
  try {
    const response = await fetch(url, {
      headers: { Accept: "application/json", [headerName]: headerValue },
      signal: controller.signal,
    });
    if (response.ok) {
      return [response.status, null, new Uint8Array(await response.arrayBuffer())];
    }
    const retryAfter = response.headers.get("retry-after");
    // An error body is only for the message: unreadable, it is empty.
    const body = await response.arrayBuffer().then((b) => new Uint8Array(b), () => new Uint8Array(0));
    if (timedOut) throw { timedOut: true };
    return [response.status, retryAfter, body];
  } catch (error) {
    throw timedOut ? { timedOut: true } : error;
  } finally {
    clearTimeout(timer);
  }
}

// Resolves after `ms` milliseconds.
export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
