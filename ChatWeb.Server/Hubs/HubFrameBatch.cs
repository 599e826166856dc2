using System.Buffers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace ChatWeb.Server.Hubs;

/// <summary>
/// The room's events of one commit as SignalR frames, serialized once per protocol and concatenated, so that the
/// whole commit reaches a connection in one write and one flush. A connection that joined during the commit gets
/// the tail after its join: a slice of the same bytes. Events are serialized only when somebody takes them, so a
/// room with no web client pays nothing for them. Used by the stream's thread only.
/// </summary>
internal sealed class HubFrameBatch(IHubProtocolResolver protocols)
{
    private readonly (IHubProtocol Protocol, ArrayBufferWriter<byte> Frames)[] _buffers =
        protocols.AllProtocols.Select(p => (p, new ArrayBufferWriter<byte>())).ToArray();
    private readonly List<InvocationMessage> _events = [];
    // Per protocol, where each event's frame ends; filled by Serialize.
    private int[][] _ends = [];
    private byte[][] _bytes = [];
    private readonly Dictionary<int, SerializedHubMessage> _tails = [];

    /// <summary>How many events are in the batch.</summary>
    public int Count => _events.Count;

    public void Add(string method, object argument) => _events.Add(new InvocationMessage(method, [argument]));

    /// <summary>The events from index <paramref name="first"/> on, as one message for every connection of any protocol.</summary>
    public SerializedHubMessage From(int first)
    {
        if (_tails.TryGetValue(first, out var tail)) return tail;
        if (_tails.Count == 0) Serialize();
        var serialized = new SerializedMessage[_buffers.Length];
        for (var i = 0; i < _buffers.Length; i++)
        {
            var start = first == 0 ? 0 : _ends[i][first - 1];
            serialized[i] = new SerializedMessage(_buffers[i].Protocol.Name, _bytes[i].AsMemory(start));
        }
        return _tails[first] = new SerializedHubMessage(serialized);
    }

    /// <summary>A fresh start for the next commit. The bytes handed out stay valid: a busy connection writes them later.</summary>
    public void Clear()
    {
        _events.Clear();
        _tails.Clear();
    }

    private void Serialize()
    {
        _ends = new int[_buffers.Length][];
        _bytes = new byte[_buffers.Length][];
        for (var i = 0; i < _buffers.Length; i++)
        {
            var (protocol, frames) = _buffers[i];
            var ends = _ends[i] = new int[_events.Count];
            for (var e = 0; e < _events.Count; e++)
            {
                protocol.WriteMessage(_events[e], frames);
                ends[e] = frames.WrittenCount;
            }
            _bytes[i] = frames.WrittenMemory.ToArray();
            frames.ResetWrittenCount();
        }
    }
}
