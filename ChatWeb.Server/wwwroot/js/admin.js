// The admin log page: new log entries arrive from /hubs/admin and go on top of the list.
// Entries are inserted as text, never as HTML. Without this script the page still works on reload.

const list = document.getElementById("log-lines");
const live = document.getElementById("live");
const level = list.dataset.level || "";
const keep = 200;

function render(entry) {
  const item = document.createElement("li");
  item.className = "log-entry level-" + entry.level.toLowerCase();
  const time = document.createElement("time");
  time.textContent = entry.time;
  const badge = document.createElement("span");
  badge.className = "level";
  badge.textContent = entry.level;
  const text = document.createElement("span");
  text.className = "text";
  text.textContent = entry.text;
  item.append(time, " ", badge, " ", text);
  return item;
}

const connection = new signalR.HubConnectionBuilder()
  .withUrl("/hubs/admin")
  .withAutomaticReconnect()
  .build();

connection.on("LogEntry", entry => {
  if (level && entry.level !== level) return;
  list.insertBefore(render(entry), list.firstChild);
  while (list.children.length > keep) list.lastChild.remove();
});

connection.onreconnecting(() => { live.textContent = "reconnecting…"; live.dataset.state = "reconnecting"; });
connection.onreconnected(() => { live.textContent = "live"; live.dataset.state = "connected"; });
connection.onclose(() => { live.textContent = "not live: reload to see new lines"; live.dataset.state = "disconnected"; });

connection.start()
  .then(() => { live.textContent = "live"; live.dataset.state = "connected"; })
  .catch(() => { live.textContent = "not live: reload to see new lines"; live.dataset.state = "disconnected"; });
