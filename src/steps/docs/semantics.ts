/** Hand-written semantics of each step (Markdown), merged with the catalog's tables into docs/steps.md. */

/** Step name → what it does, every outcome, and how it behaves on abort and hangup. */
export const SEMANTICS: Readonly<Record<string, string>> = {
  answer: `Answers a ringing inbound call (200 OK with our SDP). Answering an answered call does nothing and is still \`ok\`.
If the caller has already gone, the step fails with \`call-ended\` and the session ends.`,
  prompt: `Plays the \`file\`(s), then the \`say\` text, then the \`tone\`, \`loop\` times.

- \`wait none\` (default): **done** when playback ends. With \`barge-in\`, a key stops playback and the outcome is **digit** (\`into\` gets it).
- \`wait any\`: after playback, waits up to \`timeout\` for any key → **digit**, or **timeout**.
- \`wait digits\`: the same, but only keys in \`digits\` count; other keys are swallowed. A barge-in key outside \`digits\` stops the prompt and the wait goes on.
- Keys pressed while nothing listens are buffered (type-ahead) and taken by the next wait.

Routed by default: \`done\` and \`digit\` continue with the next statement; \`timeout\` must be routed.`,
  'collect-pin': `Plays the prompt (\`file\` then \`say\`, barge-in on) and collects keys. Collection ends on a \`terminator\` key (not included),
on \`max-digits\`, or when a timer fires: \`first-digit-timeout\` runs from the end of the prompt until the first key,
\`inter-digit-timeout\` after each key. Keys pressed during the prompt count.

Each attempt is judged:
- **ok**: at least \`min-digits\` and (if given) the whole string matches \`pattern\` (anchored). \`into\` gets the digits.
- **timeout**: a timer ended the input with fewer than \`min-digits\` keys (none, or too few).
- **invalid**: a terminator ended it with too few keys, or the digits do not match \`pattern\`.

With \`attempts\` > 1, a failed attempt speaks \`invalid-say\` (if given) and starts again with the prompt; when every attempt
failed the outcome is **max-attempts**. With one attempt the outcome is the failed attempt's (\`timeout\` or \`invalid\`).
On every outcome \`into\` gets the last digits entered (possibly empty).`,
  lookup: `Exactly one of \`url\`, \`key\` or \`table\`:

- **HTTP** (\`url\`): sends \`method\` with \`headers\` and a JSON \`body\`, \`timeout\` per attempt, \`retries\` more attempts on network errors,
  timeouts and 5xx (with backoff). **found** on 2xx, **missing** on 404, **error** on any other status, a timeout or a network failure.
- **Store** (\`key\`): **found** when the key exists (and has not expired), else **missing**.
- **Table** (\`table\` + \`where\`): a CSV file (header row) or a JSON array of objects, relative to the flow's folder, cached and re-read
  when it changes. The first row whose columns equal every \`where\` value (compared as text) is **found**; no row is **missing**;
  an unreadable table is **error**.

On **found**, \`into\` gets the body (HTTP), the value (store) or the row (table); with \`map\`, each field is an expression evaluated with
\`response\` = \`{status, body, headers}\` instead. On **missing** and **error** \`into\` gets \`null\`. Every HTTP attempt is traced with
its status (or error) and duration.`,
  'bridge-to-channel': `Joins the caller to the named channel (created on first join), optionally muted, with a beep. Everyone in a channel hears
everyone else. **left** when the caller is removed (the channel is emptied, e.g. by the API); **timeout** when \`max-duration\` passes.
When the caller hangs up in the channel the session ends (no outcome).`,
  fork: `Dials every target at once (each may be a string or \`{uri, timeout, from, headers}\`), each leg with its own cancel.

- The first target to answer wins; every other leg is cancelled at once (CANCEL), and a leg that answers a moment later is hung up.
- With \`bridge\` (default), a still-ringing caller is answered and bridged to the winner until either hangs up or \`max-duration\` passes;
  the winner's leg is then hung up. **answered** follows once the bridge ends (if the callee hung up; a caller hangup ends the session).
- Without \`bridge\`, **answered** comes at once and the answered leg stays up (end it with \`end-call into.call_id\`).
- **busy** only when every target was busy; **no-answer** when any target rang until its timeout; **failed** otherwise (declined,
  invalid, unreachable, errors).

\`into\` gets \`{target, call_id, status}\` of the winner (null when nobody answered). Each leg is traced with its outcome.`,
  fallback: `Dials the targets one after another, each for its own \`timeout\` (a target object may set one). When a target's result is in
\`next-on\` (default: busy, no-answer, declined, failed) the next is tried; otherwise, or after the last, the outcome is that target's:
**busy**, **no-answer**, **declined** or **failed** (an invalid address counts as failed). The first target to answer gives **answered**,
bridged to the caller as in \`fork\`. \`into\` gets \`{target, call_id, status, tried}\`.`,
  'stream-to-websocket': `Opens an audio tap on the call and connects it to the bot (\`exotel\` or \`twilio\` protocol): caller audio and keys go to the bot,
the bot's audio plays to the caller (when \`bidirectional\`), marks are echoed after the audio before them has played.
**closed** when the bot closes the socket (the flow continues); **error** when the bot cannot be reached after one retry or the socket
fails; **timeout** at \`max-duration\`. A caller hangup sends \`stop\` with reason \`callended\` and ends the session. The tap is always closed.`,
  record: `Records the caller (or both directions, \`mode mixed\`) to a WAV file (relative paths are relative to the flow's folder), after an
optional beep. **done** when \`max-duration\` passes, after \`silence-timeout\` of silence, or on a \`terminator\` key; \`into\` gets
\`{file, duration_ms, reason}\` with reason \`max-duration\`, \`silence\` or \`terminator\`. **failed** when the file cannot be written.`,
  'send-dtmf': `Sends the digits to the far end with RFC 4733 events (in-band tones if the peer has no telephone-event), each \`duration\` long with
\`gap\` between; \`w\` pauses 500 ms. **sent** when all are sent.`,
  transfer: `Blind transfer with REFER (RFC 3515). **transferred** when the far end accepts and the new call connects (our leg then ends, so
the session ends too); **failed** when the REFER is rejected, times out after \`timeout\`, or the new call fails (our call stays up).`,
  hangup: `Ends the call: BYE when answered, or a final response \`status\` (default 480) when still ringing. It ends the state; the session ends.`,
  wait: `Waits \`duration\` on the session clock (the call stays up); **done**.`,
  respond: `Sends the HTTP response of an \`on http\` session: \`status\` (default 200), JSON \`body\`, \`headers\`; **sent**. The session may go on
(e.g. to place a call after answering the API). Responding twice, or in a session that no HTTP request started, is an error.
If a session ends without responding, the caller gets 500.`,
  'store-get': `Reads a key (namespaced per flow). **found** with the value in \`into\`, or **missing** (\`into\` gets null).`,
  'store-put': `Writes any JSON value, with an optional \`ttl\`. With \`if-absent\` the write is atomic (SET NX): **exists** when the key was already
there (nothing written), else **ok**.`,
  'store-delete': `Deletes a key; always **ok**. \`into\` gets whether it existed.`,
  'store-incr': `Adds \`by\` (default 1) to an integer counter atomically (an absent key counts as 0; \`ttl\` applies when it is created); **ok** with
the new value in \`into\`. A key holding something other than an integer is an error.`,
  originate: `Places a call to \`to\` (through \`via\` or the default trunk) and, once answered, runs \`flow\`'s \`on start\` entry (this flow when
omitted) with \`params\`. With \`wait answer\` (default) the step waits: **answered** (\`into\` gets \`{call_id}\`), **busy**, **no-answer**
(after \`timeout\`), **invalid** (404, 484, 604), **failed**. With \`wait none\` it is **started** at once.`,
  notify: `Sends a JSON webhook (\`method\`, default POST) with \`retries\` (default 2) on network errors, timeouts and 5xx. **ok** on 2xx, **error**
otherwise; it never fails the session. \`into\` gets \`{status, body}\` (status null when there was no answer).`,
  log: `Adds a \`log\` event with \`level\` and \`message\` to the session trace (and the server log); **ok**.`,
  'end-call': `Hangs up another call by its id (any node, when nodes share a store). **ended** when it was live, **missing** otherwise;
\`into\` gets true or false.`,
};

/** Rules that hold for every step, written once at the top of the page. */
export const COMMON_RULES = `## Rules for every step

- A step works only through the ports (calls, media, http, store, bots, clock) and resolves with one of its declared outcomes.
- An outcome the flow does not route either continues with the next statement (the step's *continues on* list) or must be routed
  (the compiler says so).
- **Leaving the state aborts the step.** It cancels its timers, media operations, legs (CANCEL or BYE) and bot streams before the
  session moves on; nothing it started outlives it, except a \`fork\`/\`fallback\` leg answered with \`bridge false\`.
- **A far-end hangup ends the session cleanly, whatever step runs.** The running step is aborted and no outcome is routed; the
  session's \`end\` handling runs (traces record \`remote-hangup\`).
- Step failures that are not outcomes (a flow bug such as \`respond\` twice, a bad \`pattern\`) are errors with a code:
  \`no-call\`, \`no-http\`, \`call-ended\`, \`bad-argument\`, \`already-responded\`. They end the session and are traced with the step's source range.
- Durations are written with a unit (\`500ms\`, \`10s\`, \`2m\`).
- Every step adds trace events for what it did: prompts played, digits collected, legs dialled and their outcomes, HTTP calls with
  status and duration, store operations.`;
