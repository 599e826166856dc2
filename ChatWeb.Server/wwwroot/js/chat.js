// The chat page: connects to /hubs/chat with the SignalR client (wwwroot/lib, from npm) and keeps
// the message list in id order. Every message is inserted with textContent: chat text is never HTML.

const root = document.getElementById("chat");
const me = root.dataset.user;
const list = document.getElementById("messages");
const users = document.getElementById("users");
const status = document.getElementById("status");
const notice = document.getElementById("notice");
const form = document.getElementById("send");
const input = document.getElementById("text");
const sendError = document.getElementById("send-error");

const seen = new Set();
let lastId = 0;
const online = new Map();

// Set once the server answers 401: the cookie was ended (password changed, account wiped). Retrying
// cannot help then; the page says so and offers the sign-in page instead of "reconnecting" forever.
let signedOut = false;
// A refused negotiate reaches us wrapped (FailedToNegotiateWithServerError) with only the status in its text.
const isUnauthorized = error => Boolean(error) && (error.statusCode === 401 || /Status code '401'/.test(String(error.message)));

const connection = new signalR.HubConnectionBuilder()
  .withUrl("/hubs/chat")
  .withAutomaticReconnect({
    nextRetryDelayInMilliseconds: ctx => {
      if (isUnauthorized(ctx.retryReason)) { signedOut = true; return null; }
      return Math.min(10000, 500 * 2 ** Math.min(ctx.previousRetryCount, 5));
    },
  })
  .build();

function setStatus(text, state) {
  status.textContent = text;
  status.dataset.state = state;
}

function showNotice(n) {
  notice.textContent = n.text;
  notice.dataset.level = n.level;
  notice.hidden = false;
}

function reasonOf(error) {
  const text = String(error && error.message || error || "");
  const marker = "HubException: ";
  const at = text.lastIndexOf(marker);
  return at >= 0 ? text.slice(at + marker.length) : text;
}

function timeOf(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function render(message) {
  const item = document.createElement("li");
  item.className = "message" + (message.user === me ? " mine" : "") + (message.source === "system" ? " system" : "");
  item.dataset.id = String(message.id);
  const time = document.createElement("time");
  time.dateTime = message.sentAt;
  time.textContent = timeOf(message.sentAt);
  const user = document.createElement("span");
  user.className = "user";
  user.textContent = message.user;
  const source = document.createElement("span");
  source.className = "source";
  source.textContent = message.source === "tcp" ? "tcp" : "";
  const text = document.createElement("span");
  text.className = "text";
  text.textContent = message.text;
  item.append(time, user, source, text);
  return item;
}

// One element per id, in id order, whatever order History and Message frames arrive in.
function add(message) {
  if (seen.has(message.id)) return;
  seen.add(message.id);
  const item = render(message);
  let before = null;
  if (message.id < lastId) {
    before = [...list.children].find(li => Number(li.dataset.id) > message.id) || null;
  }
  const stick = list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
  list.insertBefore(item, before);
  lastId = Math.max(lastId, message.id);
  if (stick || message.user === me) list.scrollTop = list.scrollHeight;
}

function renderUsers() {
  users.replaceChildren(...[...online.values()]
    .sort((a, b) => a.userName.localeCompare(b.userName))
    .map(u => {
      const li = document.createElement("li");
      li.textContent = u.userName;
      if (u.transports && u.transports.length) {
        const t = document.createElement("small");
        t.textContent = " " + u.transports.join(", ");
        li.append(t);
      }
      li.dataset.user = u.userName;
      if (u.userName === me) li.className = "me";
      return li;
    }));
}

connection.on("History", messages => messages.forEach(add));
connection.on("Message", add);
connection.on("Users", all => {
  online.clear();
  all.forEach(u => online.set(u.userName.toLowerCase(), u));
  renderUsers();
});
connection.on("UserJoined", u => { online.set(u.userName.toLowerCase(), u); renderUsers(); });
connection.on("UserLeft", u => { online.delete(u.userName.toLowerCase()); renderUsers(); });
connection.on("Notice", showNotice);

// After a reconnect: everything after the last id this page has, page by page.
async function catchUp() {
  for (;;) {
    const page = await connection.invoke("History", lastId, 500);
    page.forEach(add);
    if (page.length < 500) return;
  }
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

function showDown(error) {
  const paused = reasonOf(error).includes("server paused");
  setStatus(paused ? "server paused, retrying" : "disconnected, retrying", paused ? "paused" : "disconnected");
}

// Keeps the server's notice (it says why) or a plain one, and adds a link to act on it.
function showClosedWith(fallback, linkText, href) {
  if (notice.hidden) showNotice({ level: "warning", text: fallback });
  const link = document.createElement("a");
  link.href = href;
  link.textContent = linkText;
  notice.append(" ", link);
}

function showSignedOut() {
  if (status.dataset.state === "signed-out") return;
  setStatus("signed out", "signed-out");
  showClosedWith("You were signed out.", "Sign in again", "/login");
}

// The server closed this connection on purpose (kicked, password changed, account removed): no
// automatic retry, which would undo a kick; the user reconnects by choice, and if the session has
// ended, reloading the page leads to the sign-in page.
function showClosedByServer() {
  setStatus("disconnected", "closed");
  showClosedWith("The server closed the connection.", "Reconnect", "/");
}

// Fetches what this page missed; a failure here only means the connection dropped again, and the
// reconnect that follows fetches it then.
async function connected() {
  setStatus("connected", "connected");
  try {
    await catchUp();
  } catch (error) {
    console.warn("catch-up interrupted:", reasonOf(error));
  }
}

// Starts the connection, retrying every 3 s while the server is away or paused. One loop at a time:
// once started, SignalR's automatic reconnect takes over; this runs again only after a close it gave up on.
let starting = false;
async function connect() {
  if (starting || signedOut) return;
  starting = true;
  try {
    for (;;) {
      try {
        await connection.start();
        break;
      } catch (error) {
        if (isUnauthorized(error)) { signedOut = true; showSignedOut(); return; }
        showDown(error);
        await sleep(3000);
      }
    }
  } finally {
    starting = false;
  }
  await connected();
}

connection.onreconnecting(() => setStatus("reconnecting…", "reconnecting"));
connection.onreconnected(connected);
// After a close SignalR did not reconnect from: a close with an error (e.g. "server paused") is retried;
// one without an error is the server's deliberate close.
connection.onclose(error => {
  if (signedOut) { showSignedOut(); return; }
  if (!error) { showClosedByServer(); return; }
  showDown(error);
  setTimeout(connect, 3000);
});

form.addEventListener("submit", async event => {
  event.preventDefault();
  const text = input.value;
  if (!text.trim()) return;
  sendError.hidden = true;
  try {
    const message = await connection.invoke("Send", text);
    if (message) add(message);
    input.value = "";
  } catch (error) {
    // The text stays in the box, so nothing typed is lost.
    sendError.textContent = connection.state === signalR.HubConnectionState.Connected
      ? reasonOf(error)
      : "Not connected right now: the message was not sent.";
    sendError.hidden = false;
  }
  input.focus();
});

connect();
