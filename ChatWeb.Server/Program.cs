using ChatWeb.Server.Accounts;
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

// The room and what it remembers.
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

// The operator's controls.
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
// Both judge the endpoint a request reached, so they come after routing (inside UseErrorPages).
app.UseCrossOriginGuard();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapAccountApi();
app.MapChatHub();
app.MapPages();
app.MapHealth();

return app.RunOrExplain();
