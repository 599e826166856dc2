using System.Buffers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace ChatWeb.Server.Hubs;

/// <summary>
/// The room's events of one dispatcher batch as SignalR frames, serialized once per protocol and
/// concatenated, so that the whole batch reaches a connection in one write and one flush.
/// Used by the dispatcher's thread only.
/// </summary>
internal sealed class HubFrameBatch(IHubProtocolResolver protocols)
{
    private readonly (IHubProtocol Protocol, ArrayBufferWriter<byte> Frames)[] _buffers =
        protocols.AllProtocols.Select(p => (p, new ArrayBufferWriter<byte>())).ToArray();

    /// <summary>How many events are in the batch.</summary>
    public int Count { get; private set; }

    public void Add(string method, object argument)
    {
        var invocation = new InvocationMessage(method, [argument]);
        foreach (var (protocol, frames) in _buffers) protocol.WriteMessage(invocation, frames);
        Count++;
    }

    /// <summary>
    /// The batch as one message for every connection, and a fresh start for the next batch. The bytes are
    /// copied out: a connection that is still busy writes them later.
    /// </summary>
    public SerializedHubMessage Take()
    {
        var serialized = new SerializedMessage[_buffers.Length];
        for (var i = 0; i < _buffers.Length; i++)
        {
            var (protocol, frames) = _buffers[i];
            serialized[i] = new SerializedMessage(protocol.Name, frames.WrittenMemory.ToArray());
            frames.ResetWrittenCount();
        }
        Count = 0;
        return new SerializedHubMessage(serialized);
    }
}
