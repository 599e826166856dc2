using ChatWeb.Server.Accounts;
using ChatWeb.Server.AdminLog;
using ChatWeb.Server.Chat;
using ChatWeb.Server.Components;
using ChatWeb.Server.Control;
using ChatWeb.Server.Gateway;
using ChatWeb.Server.History;
using ChatWeb.Server.Hosting;
using ChatWeb.Server.Hubs;
using ChatWeb.Server.Memory;
using ChatWeb.Server.Security;

var builder = WebApplication.CreateBuilder(args);

// Logs: <data>/log.txt always, the console while the operator wants it.
builder.AddServerLogging();

// The room, one ordered stream that every way in reads (and closes when the server stops), and what it remembers.
builder.AddChat();
builder.AddHistory();

// Accounts: Identity on logins.csv, cookies for browsers, access tokens for scripts and TCP.
builder.AddAccounts();

// Hardening: one sign-in budget per IP, forwarded headers from known proxies only, security headers.
builder.AddSecurity();

// Ways in: the browser hub and pages, the JSON API.
builder.AddChatHub();
builder.AddPages();
builder.AddApiJson();

// Legacy door: plain TCP lines (netcat, telnet, ChatWeb.Client) into the same room.
builder.AddTcpGateway();

// The admin's log page: the tail of log.txt, the live stream on the admin hub, clearing and console switching.
builder.AddAdminLog();

// The operator's controls: the room's actions, the status, the server console.
builder.AddServerControl();

// Liveness and readiness probes for orchestrators.
builder.AddHealth();

// Memory goes back to the system when the server goes quiet after a burst.
builder.AddIdleMemoryTrim();

// A setting that cannot be used stops start-up before anything is built or opened: one line, exit code 1.
if (builder.HasBadSetting()) return 1;

var app = builder.Build();

app.UseSecurity();
app.UseErrorPages();
// After the status code pages, so a re-executed request (a 404 shown as /status/404) is routed to its page.
app.UseRouting();
// The steps below read the endpoint a request reached: its origin rule, rate limit, [Authorize], antiforgery.
app.UseCrossOriginGuard();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapAccountApi();
app.MapChatHub();
app.MapAdminLog();
app.MapPages();
app.MapHealth();

return app.RunOrExplain();
