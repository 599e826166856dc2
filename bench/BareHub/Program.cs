using BareHub;

// The ceiling for ChatWeb's hub path: SignalR as the template ships it, with a hub that only re-broadcasts.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSignalR();

var app = builder.Build();
app.MapHub<BroadcastHub>("/hub");
app.Run();
