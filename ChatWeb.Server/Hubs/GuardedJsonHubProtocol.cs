using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace ChatWeb.Server.Hubs;

/// <summary>
/// SignalR's JSON hub protocol with three repairs at the edge where client bytes are parsed, each found
/// by the fuzzer (docs/reliability.md):
/// <list type="bullet">
/// <item>A frame over the receive limit ends the connection with an error that names the limit.
/// SignalR's own close message says only "Connection closed with an error."</item>
/// <item>A frame the JSON protocol reads and ignores (an unknown message type, kept for newer clients)
/// is reported as a ping. SignalR's handler stops at a frame that yields no message and reads it
/// again on every arrival, so nothing after it would be handled: one such frame would wedge the connection.</item>
/// <item>A malformed frame ends the connection with the parser's reason as a <see cref="HubException"/>:
/// the client learns what was wrong, and the log records a client's mistake as the connection's
/// reason for leaving, not as a server error with a stack trace.</item>
/// </list>
/// </summary>
internal sealed class GuardedJsonHubProtocol(JsonHubProtocol inner, long receiveLimit) : IHubProtocol
{
    public string Name => inner.Name;

    public int Version => inner.Version;

    public TransferFormat TransferFormat => inner.TransferFormat;

    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var length = input.Length;
        try
        {
            if (inner.TryParseMessage(ref input, binder, out message)) return true;
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException)
        {
            // FormatException: a number where SignalR reads an int ("type": 1.5 or 2147483648).
            throw new HubException($"malformed message: {ex.Message}");
        }

        if (input.Length < length)
        {
            // Read and ignored: a ping lets the handler move past it, and the dispatcher does nothing with one.
            message = PingMessage.Instance;
            return true;
        }
        // No separator yet. The handler hands over at most the limit, so a frame this long can never end in time.
        if (length >= receiveLimit)
            throw new HubException($"message too big: a hub message may be at most {receiveLimit} bytes ({receiveLimit / 1024} KB)");
        return false;
    }
}
