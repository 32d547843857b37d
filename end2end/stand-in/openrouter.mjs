// A local stand-in for https://openrouter.ai, faithful to shared/OPENROUTER.md §11.
//
// It serves real HTTPS with a throwaway self-signed certificate for openrouter.ai; a test browser
// reaches it in place of the real service through Chromium's host-resolver rules, so the release
// build runs unchanged. Tests set faults and chat scripts, and read the log of every request.

import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:https";
import selfsigned from "selfsigned";

const CORS_ALLOWED_HEADERS = ["authorization", "content-type", "http-referer", "x-title", "x-openrouter-title"];
const CODE_TTL_MS = 10 * 60 * 1000;

/** Default fault switches; tests override any of them with `setFaults`. */
export const DEFAULT_FAULTS = Object.freeze({
  // --- sign-in ---
  autoApprove: false, // skip the consent page
  deny: null, // null | "error" (error=access_denied) | "bare" (no parameters at all)
  stripCallbackQuery: false, // drop callback_url's own query (unverified real-world behaviour)
  echoState: true, // send `state` back when one was given
  badCode: false, // redirect with a code the stand-in never issued
  holdRedirect: false, // tests only: name the callback (X-Callback-Location) and go to /auth/held instead
  badCodeStatus: 400, // 400 {"Invalid code"} (observed) or 403 (documented)
  lenient: false, // ignore code_verifier for codes issued without a challenge
  exchange: "ok", // "ok" | "500" | "abort" | "slow" | "expired" | "405"
  exchangeDelayMs: 0,
  malformedKey: null, // null | "missing" | "number" | "empty" | "whitespace" | "control" | "long"
  // --- chat ---
  chatStatus: null, // null | 400 | 401 | 402 | 403 | 408 | 429 | 502 | 503 | "context"
  retryAfter: null, // seconds, sent as a Retry-After header and in error.availability
  // --- other ---
  keyLimit: null, // a spending limit on issued keys
  keyLimitRemaining: null,
  freeTier: false,
  legacyCredits: false, // /credits answers 200 as older deployments did
  generationLagMs: 600,
  modelsStatus: 200,
});

/** A chat script: how the next completion streams. Every field is optional. */
export const DEFAULT_SCRIPT = Object.freeze({
  reply: "Hello! I am the OpenRouter stand-in. How can I help?",
  reasoning: "",
  tokenChars: 4, // characters per content chunk
  tokensPerSecond: 400, // pace of content chunks (0 = as fast as possible)
  keepAlivesBefore: 1, // ": OPENROUTER PROCESSING" comments before the first chunk
  keepAliveIntervalMs: 0, // > 0: keep-alives every this many ms for `silenceMs` before the first chunk
  silenceMs: 0,
  lineEnding: "\n", // "\n" | "\r\n" | "\r"
  splitBytes: null, // null: one write per event; a number: writes of that many bytes; "random": 1-17 bytes
  usage: "empty-choices", // "empty-choices" | "after-finish" | "no-choices" | "none"
  finishReason: "stop",
  errorAfterChars: null, // a mid-stream error after this many characters of reply
  errorCode: 502, // number or string, for the mid-stream error
  errorMessage: "Upstream provider error",
  done: true, // send data: [DONE]
  cutAfterChars: null, // end the body cleanly after this many characters of reply (no finish, no [DONE])
  dropAfterChars: null, // drop the connection mid-body after this many characters of reply
  hangAfterChars: null, // stop sending (but keep the connection open) after this many characters
  model: null, // defaults to the requested model
  prefix: "", // sent at once as the first content chunk, before `reply` streams at its pace
});

export const MODELS = [
  {
    id: "openai/gpt-4o-mini",
    canonical_slug: "openai/gpt-4o-mini",
    name: "OpenAI: GPT-4o-mini",
    created: 1721260800,
    description: "A small, fast and cheap model.",
    context_length: 128000,
    architecture: { input_modalities: ["text", "image"], output_modalities: ["text"], tokenizer: "GPT" },
    pricing: { prompt: "0.00000015", completion: "0.0000006", request: "0", image: "0.000217" },
    top_provider: { context_length: 128000, max_completion_tokens: 16384, is_moderated: true },
    supported_parameters: ["max_tokens", "temperature"],
  },
  {
    id: "anthropic/claude-sonnet-4.5",
    name: "Anthropic: Claude Sonnet 4.5",
    context_length: 1000000,
    pricing: { prompt: "0.000003", completion: "0.000015" },
    top_provider: { context_length: 1000000, max_completion_tokens: 64000, is_moderated: false },
  },
  {
    id: "meta-llama/llama-3.3-70b-instruct:free",
    name: "Meta: Llama 3.3 70B Instruct (free)",
    context_length: 131072,
    pricing: { prompt: "0", completion: "0" },
    top_provider: { context_length: 131072, max_completion_tokens: null },
  },
  {
    id: "deepseek/deepseek-r1",
    name: "DeepSeek: R1",
    context_length: 163840,
    // No image or request price: a strict client once broke on this (big-AGI#787).
    pricing: { prompt: "0.0000004", completion: "0.000002" },
  },
  { id: "mistralai/mistral-small", name: null, context_length: null, pricing: null, top_provider: null },
  { id: "google/gemini-2.5-flash", name: "Google: Gemini 2.5 Flash" },
];

const ERROR_BODIES = {
  400: { error: { code: 400, message: "Invalid model: this model does not exist", metadata: { error_type: "model_not_found" } } },
  context: {
    error: {
      code: 400,
      message: "This endpoint's maximum context length is 128000 tokens. However, you requested about 130000 tokens.",
      metadata: { error_type: "context_length_exceeded" },
    },
  },
  401: { error: { message: "Missing Authentication header or invalid API key", code: 401 } },
  402: {
    error: {
      message:
        "This request requires more credits, or fewer max_tokens. You requested up to 16384 tokens, but can only afford 3919. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account",
      code: 402,
    },
  },
  403: {
    error: {
      code: 403,
      message: "Your input was flagged",
      metadata: { reasons: ["harassment"], flagged_input: "…", provider_name: "OpenAI", model_slug: "openai/gpt-4o-mini" },
    },
  },
  408: { error: { code: 408, message: "Request timed out" } },
  429: { error: { code: 429, message: "Rate limit exceeded: free-models-per-min", metadata: { error_type: "rate_limit_exceeded" } } },
  502: { error: { code: 502, message: "Provider returned error", metadata: { error_type: "provider_error" } } },
  503: { error: { code: 503, message: "No endpoints found that can handle the requested parameters.", metadata: { error_type: "provider_overloaded" } } },
};

function base64url(buf) {
  return buf.toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function s256(verifier) {
  return base64url(createHash("sha256").update(verifier, "ascii").digest());
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function isAllowedCallback(raw) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && (url.hostname === "localhost" || url.hostname === "127.0.0.1");
}

/** Appends parameters to a callback URL the way OpenRouter does: `&` when it has a query. */
function appendParams(callback, params, stripQuery) {
  let target = callback;
  if (stripQuery) target = target.replace(/\?.*$/, "");
  const query = new URLSearchParams(params).toString();
  if (!query) return target;
  return target + (target.includes("?") ? "&" : "?") + query;
}

function maskKey(key) {
  return `${key.slice(0, 12)}...${key.slice(-3)}`;
}

async function makeCertificate() {
  const notAfter = new Date();
  notAfter.setDate(notAfter.getDate() + 30);
  return selfsigned.generate([{ name: "commonName", value: "openrouter.ai" }], {
    keyType: "ec",
    algorithm: "sha256",
    notAfterDate: notAfter,
    extensions: [{ name: "subjectAltName", altNames: [{ type: 2, value: "openrouter.ai" }] }],
  });
}

/**
 * Starts the stand-in. Resolves to a handle:
 * `{ port, url, log, exchanges(code), setFaults(f), pushScript(s), setDefaultScript(s), issueKey(), reset(), close() }`.
 */
export async function startStandIn({ port = 0, host = "127.0.0.1", quiet = true } = {}) {
  const pems = await makeCertificate();
  const state = {
    faults: { ...DEFAULT_FAULTS },
    defaultScript: { ...DEFAULT_SCRIPT },
    scripts: [],
    codes: new Map(), // code → { challenge, method, issuedAt, used, state }
    keys: new Map(), // key → { label, limit, usage, issuedAt }
    authRequests: [],
    log: [],
    exchangeCounts: new Map(),
    openStreams: new Set(),
    generations: new Map(), // id → finishedAt
    aborted: [],
  };

  function issueKey() {
    const key = `sk-or-v1-${randomBytes(32).toString("hex")}`;
    state.keys.set(key, { label: maskKey(key), usage: 0, issuedAt: Date.now() });
    return key;
  }

  function cors(res) {
    res.setHeader("Access-Control-Allow-Origin", "*");
  }

  function json(res, status, body, headers = {}) {
    cors(res);
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  }

  function text(res, status, body) {
    cors(res);
    res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(body);
  }

  function html(res, status, body) {
    res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
    res.end(body);
  }

  function bearer(req) {
    const auth = req.headers.authorization ?? "";
    const match = /^Bearer (.+)$/.exec(auth);
    return match ? match[1] : null;
  }

  function preflight(req, res) {
    const requested = (req.headers["access-control-request-headers"] ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
    const refused = requested.filter((h) => !CORS_ALLOWED_HEADERS.includes(h));
    if (refused.length > 0) {
      // No CORS headers: the browser fails the preflight, as OpenRouter does for unknown headers.
      res.writeHead(204);
      res.end();
      return;
    }
    res.writeHead(204, {
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
      "Access-Control-Allow-Headers": "Authorization, Content-Type, HTTP-Referer, X-Title, X-OpenRouter-Title",
      "Access-Control-Max-Age": "0",
    });
    res.end();
  }

  function consentPage(params) {
    const hidden = Object.entries(params)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join("");
    return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Authorize app · OpenRouter stand-in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px system-ui;margin:3rem auto;max-width:32rem;padding:0 1rem}button{font:inherit;padding:.5rem 1.25rem;margin-right:.5rem}</style></head>
<body><h1>Authorize this app?</h1>
<p>This is the local OpenRouter stand-in. An app at <code>${escapeHtml(new URL(params.callback_url).origin)}</code> asks for an API key.</p>
<form method="post" action="/auth/decision">${hidden}
<button name="decision" value="approve">Authorize</button><button name="decision" value="deny">Deny</button></form></body></html>`;
  }

  function decide(res, params, approve) {
    const f = state.faults;
    const callback = params.callback_url;
    if (!approve || f.deny) {
      const extra = f.deny === "bare" ? {} : { error: "access_denied" };
      res.writeHead(302, { Location: appendParams(callback, extra, f.stripCallbackQuery) });
      res.end();
      return;
    }
    const code = randomBytes(18).toString("hex");
    state.codes.set(code, {
      challenge: params.code_challenge || null,
      method: params.code_challenge ? params.code_challenge_method || "plain" : null,
      issuedAt: Date.now(),
      used: false,
    });
    const extra = { code: f.badCode ? randomBytes(18).toString("hex") : code };
    if (params.state && f.echoState) extra.state = params.state;
    const location = appendParams(callback, extra, f.stripCallbackQuery);
    if (f.holdRedirect) {
      // To a page of the stand-in instead (303, so that Back never re-posts the decision).
      res.writeHead(303, { Location: "/auth/held", "X-Callback-Location": location });
      res.end();
      return;
    }
    res.writeHead(302, { Location: location });
    res.end();
  }

  function handleAuth(req, res, url) {
    const params = Object.fromEntries(url.searchParams);
    state.authRequests.push({ ...params, time: Date.now() });
    if (!params.callback_url) {
      // Headless mode: show the code; plain or missing challenges are refused.
      if (params.code_challenge_method !== "S256" || !params.code_challenge) {
        return html(res, 400, "<p>Headless sign-in requires an S256 code challenge.</p>");
      }
      const code = randomBytes(18).toString("hex");
      state.codes.set(code, { challenge: params.code_challenge, method: "S256", issuedAt: Date.now(), used: false });
      return html(res, 200, `<p>Your code: <code id="code">${code}</code>. It is single-use and expires after 10 minutes.</p>`);
    }
    if (!isAllowedCallback(params.callback_url)) return html(res, 400, "<p>Invalid callback_url.</p>");
    const method = params.code_challenge_method;
    if (method !== undefined && method !== "S256" && method !== "plain") {
      return html(res, 400, "<p>Invalid code_challenge_method.</p>");
    }
    if (method !== undefined && !params.code_challenge) return html(res, 400, "<p>Missing code_challenge.</p>");
    if (state.faults.autoApprove) return decide(res, params, true);
    return html(res, 200, consentPage(params));
  }

  function handleExchange(req, res, body) {
    const f = state.faults;
    // OpenRouter answers a body sent without a JSON content type with a 400 (shared/OPENROUTER.md §2).
    if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
      return json(res, 400, { error: { message: "Content-Type must be application/json", code: 400 } });
    }
    let parsed;
    try {
      parsed = JSON.parse(body);
    } catch {
      return json(res, 400, { error: { message: "Invalid JSON body", code: 400 } });
    }
    const { code, code_verifier: verifier, code_challenge_method: method } = parsed ?? {};
    state.exchangeCounts.set(code, (state.exchangeCounts.get(code) ?? 0) + 1);
    const respond = () => {
      if (f.exchange === "abort") {
        // Headers, then the connection drops mid-body. (Dropping it before any byte makes Chromium
        // itself resend the POST on a fresh connection, which would hide what the app does.)
        cors(res);
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "200" });
        res.write('{"ke');
        return setTimeout(() => req.socket.destroy(), 20);
      }
      if (f.exchange === "500") return json(res, 500, { error: { message: "Internal Server Error", code: 500 } });
      if (f.exchange === "405") return text(res, 405, "Method Not Allowed");
      const record = state.codes.get(code);
      const bad = () =>
        f.badCodeStatus === 403
          ? text(res, 403, "Invalid code or code_verifier")
          : json(res, 400, { error: { message: "Invalid code", code: 400 } });
      if (!record || record.used) return bad();
      if (f.exchange === "expired" || Date.now() - record.issuedAt > CODE_TTL_MS) {
        record.used = true;
        return text(res, 403, "Authorization code expired");
      }
      if (record.challenge) {
        if ((method ?? "plain") !== record.method) {
          return json(res, 400, { error: { message: "Invalid code_challenge_method", code: 400 } });
        }
        const expected = record.method === "S256" ? s256(verifier ?? "") : verifier;
        if (expected !== record.challenge) return bad();
      } else if (!f.lenient && verifier) {
        return bad();
      }
      record.used = true;
      if (f.malformedKey) {
        const bodies = {
          missing: { user_id: "user_standin" },
          number: { key: 12345 },
          empty: { key: "" },
          whitespace: { key: "sk-or-v1-abc def" },
          control: { key: "sk-or-v1-abc\u0007def" },
          long: { key: `sk-or-v1-${"a".repeat(400)}` },
        };
        return json(res, 200, bodies[f.malformedKey]);
      }
      return json(res, 200, { key: issueKey(), user_id: "user_2yOPstandin" });
    };
    const delay = f.exchange === "slow" ? Math.max(f.exchangeDelayMs, 1500) : f.exchangeDelayMs;
    if (delay > 0) setTimeout(respond, delay);
    else respond();
  }

  function keyInfo(req, res) {
    const key = bearer(req);
    const record = key && state.keys.get(key);
    if (!record) return json(res, 401, ERROR_BODIES[401]);
    const f = state.faults;
    return json(res, 200, {
      data: {
        label: record.label,
        limit: f.keyLimit,
        limit_reset: null,
        limit_remaining: f.keyLimitRemaining,
        include_byok_in_limit: false,
        usage: record.usage,
        usage_daily: record.usage,
        usage_weekly: record.usage,
        usage_monthly: record.usage,
        is_free_tier: f.freeTier,
        is_management_key: false,
        is_provisioning_key: false,
        expires_at: null,
        rate_limit: { requests: -1, interval: "10s" },
      },
    });
  }

  function streamChat(req, res, request, script) {
    const f = state.faults;
    const id = `gen-${Date.now()}-${randomBytes(6).toString("hex")}`;
    const model = script.model ?? request.model ?? "openai/gpt-4o-mini";
    const le = script.lineEnding;
    const base = { id, provider: "StandIn", model, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000) };
    const event = (obj) => `data: ${typeof obj === "string" ? obj : JSON.stringify(obj)}${le}${le}`;
    const comment = `: OPENROUTER PROCESSING${le}${le}`;
    const chunk = (delta, finish = null) => ({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });

    // The whole stream as a list of pieces, each with the delay before it.
    const pieces = [];
    const push = (textPiece, delayMs = 0) => pieces.push({ text: textPiece, delayMs });
    for (let i = 0; i < script.keepAlivesBefore; i++) push(comment);
    if (script.keepAliveIntervalMs > 0 && script.silenceMs > 0) {
      for (let t = 0; t < script.silenceMs; t += script.keepAliveIntervalMs) push(comment, script.keepAliveIntervalMs);
    }
    push(event(chunk({ role: "assistant", content: "" })));
    if (script.prefix) push(event(chunk({ content: script.prefix })));
    const interval = script.tokensPerSecond > 0 ? 1000 / script.tokensPerSecond : 0;
    const chars = Array.from(script.reasoning);
    for (let i = 0; i < chars.length; i += script.tokenChars) {
      push(event(chunk({ role: "assistant", content: null, reasoning: chars.slice(i, i + script.tokenChars).join("") })), interval);
    }
    const reply = Array.from(script.reply);
    let sent = 0;
    let ended = null;
    for (let i = 0; i < reply.length; i += script.tokenChars) {
      const piece = reply.slice(i, i + script.tokenChars).join("");
      if (script.errorAfterChars !== null && sent >= script.errorAfterChars) {
        ended = "error";
        break;
      }
      if (script.cutAfterChars !== null && sent >= script.cutAfterChars) {
        ended = "cut";
        break;
      }
      if (script.dropAfterChars !== null && sent >= script.dropAfterChars) {
        ended = "drop";
        break;
      }
      if (script.hangAfterChars !== null && sent >= script.hangAfterChars) {
        ended = "hang";
        break;
      }
      push(event(chunk({ content: piece })), interval);
      sent += piece.length;
    }
    if (ended === null && script.errorAfterChars !== null) ended = "error";
    const usage = {
      prompt_tokens: JSON.stringify(request.messages ?? []).length >> 2,
      completion_tokens: Math.ceil(script.reply.length / 4),
      total_tokens: 0,
      cost: 0.000093,
      is_byok: false,
    };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    if (ended === "error") {
      push(
        event({
          ...base,
          error: { code: script.errorCode, message: script.errorMessage, metadata: { error_type: "provider_error" } },
          choices: [{ index: 0, delta: { content: "" }, finish_reason: "error" }],
        }),
      );
      if (script.done) push(event("[DONE]"));
    } else if (ended === null) {
      push(event({ ...chunk({ content: "" }, script.finishReason), choices: [{ index: 0, delta: { content: "" }, finish_reason: script.finishReason, native_finish_reason: script.finishReason }] }));
      if (script.usage === "empty-choices") push(event({ ...base, choices: [], usage }));
      if (script.usage === "after-finish") push(event({ ...base, choices: [{ index: 0, delta: {}, finish_reason: null }], usage }));
      if (script.usage === "no-choices") push(event({ ...base, usage }));
      if (script.done) push(event("[DONE]"));
    }

    cors(res);
    res.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache",
      "X-Generation-Id": id,
    });
    res.flushHeaders();
    const entry = { id, res, finished: false };
    state.openStreams.add(entry);
    let closed = false;
    res.on("close", () => {
      closed = true;
      state.openStreams.delete(entry);
      if (!entry.finished) state.aborted.push({ id, time: Date.now() });
    });

    const writeSplit = async (textPiece) => {
      const bytes = Buffer.from(textPiece, "utf8");
      if (script.splitBytes === null) return void res.write(bytes);
      let offset = 0;
      while (offset < bytes.length && !closed) {
        const n = script.splitBytes === "random" ? 1 + Math.floor(Math.random() * 17) : script.splitBytes;
        res.write(bytes.subarray(offset, offset + n));
        offset += n;
        // Give the network a moment so that the browser sees separate reads.
        await new Promise((r) => setTimeout(r, 1));
      }
    };

    (async () => {
      const start = Date.now();
      let due = 0;
      for (const piece of pieces) {
        if (closed) return;
        due += piece.delayMs;
        const wait = start + due - Date.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        if (closed) return;
        await writeSplit(piece.text);
      }
      if (closed) return;
      entry.finished = true;
      entry.lastWriteAt = Date.now();
      state.lastStreamEnd = entry.lastWriteAt;
      state.generations.set(id, { finishedAt: Date.now(), cost: usage.cost, model, usage });
      if (ended === "hang") return; // keep the connection open, silent
      // The connection closes mid-body (no final chunk). The browser may discard data the page has
      // not read yet when the error arrives, so give the page time to read what was sent first.
      if (ended === "drop") return void setTimeout(() => res.socket?.end(), 750);
      res.end();
    })();
    return f;
  }

  function handleChat(req, res, body) {
    const key = bearer(req);
    if (!key || !state.keys.has(key)) return json(res, 401, ERROR_BODIES[401]);
    let request;
    try {
      request = JSON.parse(body);
    } catch {
      return json(res, 400, { error: { code: 400, message: "Invalid JSON body" } });
    }
    const f = state.faults;
    if (f.chatStatus !== null) {
      const status = f.chatStatus === "context" ? 400 : f.chatStatus;
      const errorBody = structuredClone(ERROR_BODIES[f.chatStatus] ?? { error: { code: status, message: "Error" } });
      const headers = {};
      if (f.retryAfter !== null) {
        headers["Retry-After"] = String(f.retryAfter);
        errorBody.error.availability = { code: "rate_limited", retryable: true, retry_after: f.retryAfter };
      }
      return json(res, status, errorBody, headers);
    }
    const script = { ...state.defaultScript, ...(state.scripts.shift() ?? {}) };
    if (!request.stream) {
      return json(res, 200, {
        id: `gen-${Date.now()}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: request.model,
        provider: "StandIn",
        choices: [{ index: 0, finish_reason: "stop", native_finish_reason: "stop", message: { role: "assistant", content: script.reply } }],
        usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14, cost: 0.00014 },
      });
    }
    const record = state.keys.get(key);
    record.usage += 0.000093;
    streamChat(req, res, request, script);
  }

  function route(req, res, url, body) {
    const path = url.pathname;
    if (req.method === "OPTIONS") return preflight(req, res);
    if (path === "/auth" && req.method === "GET") return handleAuth(req, res, url);
    if (path === "/auth/held" && req.method === "GET") {
      return html(res, 200, "<p>The redirect to the app was held for the test.</p>");
    }
    if (path === "/auth/decision" && req.method === "POST") {
      const params = Object.fromEntries(new URLSearchParams(body));
      const { decision, ...rest } = params;
      if (!rest.callback_url || !isAllowedCallback(rest.callback_url)) return html(res, 400, "<p>Invalid callback_url.</p>");
      return decide(res, rest, decision === "approve");
    }
    if (path === "/api/v1/auth/keys") {
      if (req.method !== "POST") return text(res, 405, "Method Not Allowed");
      return handleExchange(req, res, body);
    }
    if (path === "/api/v1/chat/completions") {
      if (req.method !== "POST") return text(res, 405, "Method Not Allowed");
      return handleChat(req, res, body);
    }
    if (path === "/api/v1/models" && req.method === "GET") {
      if (state.faults.modelsStatus !== 200) return json(res, state.faults.modelsStatus, ERROR_BODIES[502]);
      return json(res, 200, { data: MODELS, total_count: MODELS.length });
    }
    if ((path === "/api/v1/key" || path === "/api/v1/auth/key") && req.method === "GET") return keyInfo(req, res);
    if (path === "/api/v1/credits" && req.method === "GET") {
      const key = bearer(req);
      if (!key || !state.keys.has(key)) return json(res, 401, ERROR_BODIES[401]);
      if (state.faults.legacyCredits) return json(res, 200, { data: { total_credits: 10, total_usage: 0.5 } });
      return json(res, 403, { error: { code: 403, message: "Only management keys can perform this operation" } });
    }
    if (path === "/api/v1/generation" && req.method === "GET") {
      const gen = state.generations.get(url.searchParams.get("id"));
      if (!gen || Date.now() - gen.finishedAt < state.faults.generationLagMs) {
        return json(res, 404, { error: { code: 404, message: "Generation not found" } });
      }
      return json(res, 200, { data: { id: url.searchParams.get("id"), model: gen.model, total_cost: gen.cost, tokens_prompt: gen.usage.prompt_tokens, tokens_completion: gen.usage.completion_tokens } });
    }
    if (path === "/favicon.ico") {
      res.writeHead(204);
      return res.end();
    }
    if (path.startsWith("/keys/") || path === "/logs" || path.startsWith("/settings/")) {
      return html(res, 200, `<h1>OpenRouter stand-in</h1><p>${escapeHtml(path)}</p>`);
    }
    return json(res, 404, { error: { code: 404, message: "Not Found" } });
  }

  const server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url, "https://openrouter.ai");
      state.log.push({
        time: Date.now(),
        method: req.method,
        url: url.href,
        path: url.pathname,
        headers: { ...req.headers },
        body,
      });
      if (!quiet) console.log(`${req.method} ${url.pathname}${url.search ? "?…" : ""}`);
      try {
        route(req, res, url, body);
      } catch (e) {
        console.error("stand-in error", e);
        if (!res.headersSent) json(res, 500, { error: { code: 500, message: "stand-in failure" } });
      }
    });
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const actualPort = server.address().port;

  return {
    port: actualPort,
    /** Every request received, oldest first. */
    get log() {
      return state.log;
    },
    /** Every /auth request's parameters. */
    get authRequests() {
      return state.authRequests;
    },
    /** When the last stream finished writing (ms since the epoch), for the benchmark. */
    get lastStreamEnd() {
      return state.lastStreamEnd ?? null;
    },
    /** Streams the client aborted before they finished. */
    get aborted() {
      return state.aborted;
    },
    /** Requests to the exchange endpoint carrying `code`. */
    exchanges(code) {
      return state.exchangeCounts.get(code) ?? 0;
    },
    /** All exchange POSTs (preflights excluded). */
    exchangeRequests() {
      return state.log.filter((r) => r.path === "/api/v1/auth/keys" && r.method === "POST");
    },
    setFaults(faults) {
      Object.assign(state.faults, faults);
    },
    /** Queues scripts for the next chat completions, one each. */
    pushScript(...scripts) {
      state.scripts.push(...scripts);
    },
    setDefaultScript(script) {
      state.defaultScript = { ...DEFAULT_SCRIPT, ...script };
    },
    /** Issues a valid key directly (for tests that start signed in). */
    issueKey,
    /** Issues a code without a challenge, as anyone can get for their own account. */
    issueCode() {
      const code = randomBytes(18).toString("hex");
      state.codes.set(code, { challenge: null, method: null, issuedAt: Date.now(), used: false });
      return code;
    },
    /** Makes a key unknown, as if revoked. */
    revokeKey(key) {
      state.keys.delete(key);
    },
    /** Ages a code, as if issued `ms` ago. */
    ageCode(code, ms) {
      const record = state.codes.get(code);
      if (record) record.issuedAt -= ms;
    },
    reset() {
      state.faults = { ...DEFAULT_FAULTS };
      state.defaultScript = { ...DEFAULT_SCRIPT };
      state.scripts = [];
      state.log = [];
      state.authRequests = [];
      state.aborted = [];
      state.exchangeCounts.clear();
    },
    close() {
      for (const s of state.openStreams) s.res.socket?.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
