// The benchmark's baseline: OpenRouter's PKCE sign-in and a streamed chat in plain JavaScript.
const ORIGIN = "https://openrouter.ai";
const KEY = "vanilla.key";
const $ = (id) => document.getElementById(id);

const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

async function connect() {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  sessionStorage.setItem("vanilla.verifier", verifier);
  const callback = location.origin + location.pathname;
  location.assign(`${ORIGIN}/auth?${new URLSearchParams({ callback_url: callback, code_challenge: challenge, code_challenge_method: "S256" })}`);
}

async function exchange(code) {
  history.replaceState(null, "", location.pathname);
  const response = await fetch(`${ORIGIN}/api/v1/auth/keys`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ code, code_verifier: sessionStorage.getItem("vanilla.verifier"), code_challenge_method: "S256" }),
  });
  const { key } = await response.json();
  if (key) localStorage.setItem(KEY, key);
}

function bubble(text) {
  const div = document.createElement("div");
  div.className = "message";
  div.textContent = text;
  $("transcript").append(div);
  return div;
}

async function send() {
  const text = $("message").value;
  $("message").value = "";
  bubble(text).dataset.role = "user";
  const out = bubble("");
  out.dataset.role = "assistant";
  const response = await fetch(`${ORIGIN}/api/v1/chat/completions`, {
    method: "POST",
    headers: { Authorization: `Bearer ${localStorage.getItem(KEY)}`, "Content-Type": "application/json" },
    body: JSON.stringify({ model: "openai/gpt-4o-mini", stream: true, max_tokens: 1024, messages: [{ role: "user", content: text }] }),
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop();
    for (const line of lines) {
      if (!line.startsWith("data:")) continue;
      const data = line.slice(5).trim();
      if (data === "[DONE]") return;
      const delta = JSON.parse(data).choices?.[0]?.delta?.content;
      if (delta) out.append(delta);
    }
  }
}

// The stored conversation: every message rendered at once.
function open() {
  const messages = JSON.parse(localStorage.getItem("vanilla.conversation") || "[]");
  $("transcript").replaceChildren();
  for (const m of messages) {
    const b = bubble(m.text);
    b.dataset.role = m.role;
    b.dataset.id = m.id;
  }
}

const code = new URLSearchParams(location.search).get("code");
if (code) await exchange(code);
$("connect").addEventListener("click", connect);
$("send").addEventListener("click", send);
$("open").addEventListener("click", open);
$("chat").hidden = !localStorage.getItem(KEY);
$("connect").disabled = false;
