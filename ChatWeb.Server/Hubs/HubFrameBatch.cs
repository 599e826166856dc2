using System.Buffers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace ChatWeb.Server.Hubs;

/// <summary>
/// The room's events of one dispatcher batch as SignalR frames, serialized once per protocol and
/// concatenated, so that the whole batch reaches a connection in one write and one flush. Events are
/// serialized only when the batch is taken, so a room with no web client pays nothing for them.
/// Used by the dispatcher's thread only.
/// </summary>
internal sealed class HubFrameBatch(IHubProtocolResolver protocols)
{
    private readonly (IHubProtocol Protocol, ArrayBufferWriter<byte> Frames)[] _buffers =
        protocols.AllProtocols.Select(p => (p, new ArrayBufferWriter<byte>())).ToArray();
    private readonly List<InvocationMessage> _events = [];

    /// <summary>How many events are in the batch.</summary>
    public int Count => _events.Count;

    public void Add(string method, object argument) => _events.Add(new InvocationMessage(method, [argument]));

    /// <summary>Drops the batch: nobody on the hub to send it to.</summary>
    public void Clear() => _events.Clear();

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
            foreach (var invocation in _events) protocol.WriteMessage(invocation, frames);
            serialized[i] = new SerializedMessage(protocol.Name, frames.WrittenMemory.ToArray());
            frames.ResetWrittenCount();
        }
        _events.Clear();
        return new SerializedHubMessage(serialized);
    }
}
