using ChatWeb.Server.Chat;
using ChatWeb.Server.Hosting;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Gateway;

/// <summary>What every session needs from the server, resolved once.</summary>
internal sealed record GatewayServices(
    ChatRoom Room,
    RoomAdmission Admission,
    TcpSignIn SignIn,
    IOptions<GatewayOptions> Options,
    TimeProvider Time,
    UnauthenticatedConnectionLog UnauthenticatedLog,
    ILogger<GatewaySession> Logger);
