using System.Text;
using System.Text.Json;

namespace ChatWeb.Tests.Fuzzing;

/// <summary>How the bytes of one hub frame reach the WebSocket.</summary>
public enum HubDelivery
{
    /// <summary>One text message.</summary>
    Text,
    /// <summary>One binary message (the JSON protocol expects text).</summary>
    Binary,
    /// <summary>Several WebSocket fragments of one message, cut anywhere (inside UTF-8 too).</summary>
    Fragments,
    /// <summary>As the handshake of a new connection, instead of <c>{"protocol":"json","version":1}</c>.</summary>
    Handshake,
    /// <summary>A first fragment, then the socket is aborted mid-message.</summary>
    AbortMidFrame,
}

/// <summary>One thing thrown at the chat hub.</summary>
public sealed record HubFrame(int Index, string Kind, byte[] Payload, HubDelivery Delivery)
{
    public const byte Separator = 0x1e;

    public bool EndsWithSeparator => Payload.Length > 0 && Payload[^1] == Separator;

    public override string ToString()
    {
        var text = Encoding.UTF8.GetString(Payload.AsSpan(0, Math.Min(Payload.Length, 160)));
        return $"#{Index} {Kind} ({Payload.Length} bytes, {Delivery}): {JsonSerializer.Serialize(text)}";
    }
}

/// <summary>Malformed frames and invocations for <c>/hubs/chat</c>, each made from the seed and its own number only.</summary>
public static class HubFuzzFrames
{
    /// <summary>SignalR's receive limit (HubOptions.MaximumReceiveMessageSize), which ChatWeb keeps.</summary>
    public const int ReceiveLimit = 32 * 1024;

    // Fixed places, so the shortest pass has frames over the limit.
    private const int OversizedEvery = 100;

    private static readonly Encoding Utf8 = new UTF8Encoding(false);

    public static HubFrame Create(int seed, int index)
    {
        var random = FuzzRandom.For(seed, FuzzDoor.Hub, index);
        if (index % OversizedEvery == OversizedEvery / 2) return Oversized(random, index);

        return random.Next(100) switch
        {
            < 10 => new(index, "not JSON", NotJson(random), random.Chance(80) ? HubDelivery.Text : HubDelivery.Binary),
            < 15 => new(index, "JSON, not a message", Frame(random.Pick(["null", "[]", "42", "\"x\"", "true", "{}", "[{\"type\":1}]", "{\"type\":1}{\"type\":1}"])), HubDelivery.Text),
            < 25 => new(index, "bad message fields", Frame(BadFields(random)), HubDelivery.Text),
            < 40 => new(index, "Send with wrong arguments", Frame(Invocation(random, "Send", random.Pick(WrongSendArguments))), HubDelivery.Text),
            < 50 => new(index, "History with wrong arguments", Frame(Invocation(random, "History", random.Pick(WrongHistoryArguments))), HubDelivery.Text),
            < 57 => new(index, "unknown method", Frame(Invocation(random, random.Pick(UnknownMethods), "[\"x\"]")), HubDelivery.Text),
            < 63 => new(index, "odd invocation id", Frame(OddInvocationId(random)), HubDelivery.Text),
            < 70 => new(index, "other message types", Frame(random.Pick(OtherMessageTypes)), HubDelivery.Text),
            < 80 => new(index, "Send with nasty text", Frame(Invocation(random, "Send", JsonSerializer.Serialize(new[] { NastySendText(random) }))), random.Chance(70) ? HubDelivery.Text : HubDelivery.Fragments),
            < 85 => new(index, "several frames in one message", SeveralFrames(random), HubDelivery.Text),
            < 89 => new(index, "frame cut into fragments", Frame(Invocation(random, "Send", "[\"Жук 🐞 字 fragments\"]")), HubDelivery.Fragments),
            < 95 => new(index, "bad handshake", Handshake(random), HubDelivery.Handshake),
            _ => new(index, "aborted mid-frame", Frame(Invocation(random, "Send", "[\"half a frame\"]")), HubDelivery.AbortMidFrame),
        };
    }

    private static byte[] Frame(string json) => [.. Utf8.GetBytes(json), HubFrame.Separator];

    private static string Invocation(Random random, string target, string arguments)
    {
        var id = random.Chance(70) ? $"\"invocationId\":\"f{random.Next(1_000_000)}\"," : "";
        return $"{{\"type\":1,{id}\"target\":{JsonSerializer.Serialize(target)},\"arguments\":{arguments}}}";
    }

    private static HubFrame Oversized(Random random, int index)
    {
        var size = random.Next(ReceiveLimit + 1, ReceiveLimit * 3);
        return random.Next(3) switch
        {
            0 => new(index, "over 32 KB: a long Send", Frame(Invocation(random, "Send", JsonSerializer.Serialize(new[] { random.Words(size) }))), HubDelivery.Text),
            1 => new(index, "over 32 KB: no separator", Utf8.GetBytes("{\"type\":1,\"target\":\"Send\",\"arguments\":[\"" + random.Words(size)), HubDelivery.Fragments),
            _ => new(index, "over 32 KB: deep junk", Frame(new string('[', size)), HubDelivery.Text),
        };
    }

    private static byte[] NotJson(Random random) => random.Next(6) switch
    {
        0 => [.. random.Bytes(random.Next(1, 300)), HubFrame.Separator],
        1 => Frame(random.NastyText()),
        2 => Frame(random.Pick(["{", "}", "{\"type\":", "{'type':1}", "{type:1}", "{\"type\":1,}", "\u001e", "NaN", "{\"type\":0x1}"])),
        3 => [HubFrame.Separator],
        4 => Frame(new string('[', random.Next(65, 5000))), // deeper than the reader's depth limit
        _ => Frame("{\"type\":1,\"target\":\"Send\",\"arguments\":[\"" + "\\ud800" + "\"]"), // truncated
    };

    private static string BadFields(Random random) => random.Pick(new[]
    {
        "{\"type\":\"1\",\"target\":\"Send\",\"arguments\":[\"x\"]}",
        "{\"type\":1.5,\"target\":\"Send\",\"arguments\":[\"x\"]}",
        "{\"type\":-1}", "{\"type\":99}", "{\"type\":null}", "{\"type\":2147483648}", "{\"type\":1}",
        "{\"type\":1,\"target\":null,\"arguments\":[]}",
        "{\"type\":1,\"target\":5,\"arguments\":[]}",
        "{\"type\":1,\"target\":\"Send\"}",
        "{\"type\":1,\"target\":\"Send\",\"arguments\":\"x\"}",
        "{\"type\":1,\"target\":\"Send\",\"arguments\":{\"0\":\"x\"}}",
        "{\"type\":1,\"target\":\"Send\",\"arguments\":null}",
        "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"x\"],\"streamIds\":[\"1\"]}",
        "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"x\"],\"streamIds\":5}",
        "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"x\"],\"headers\":5}",
        "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"x\"],\"headers\":{\"a\":{\"b\":1}}}",
        "{\"arguments\":[\"x\"],\"target\":\"Send\",\"type\":1}",
        "{\"type\":1,\"type\":3,\"target\":\"Send\",\"arguments\":[\"x\"]}",
        "{\"TYPE\":1,\"TARGET\":\"Send\",\"ARGUMENTS\":[\"x\"]}",
    });

    private static readonly string[] WrongSendArguments =
    [
        "[123]", "[null]", "[]", "[\"a\",\"b\"]", "[{\"x\":1}]", "[[1,2]]", "[true]", "[1e400]", "[-0]", "[\"\\u0000\"]",
        "[\"\\ud800\"]", "[\"\\udc00\\ud800\"]", "[{}]", "[\"x\",null,null,null]", "[[[[[[[[[[[[[[[[[[[[\"deep\"]]]]]]]]]]]]]]]]]]]]",
    ];

    private static readonly string[] WrongHistoryArguments =
    [
        "[\"abc\",5]", "[1.5,2]", "[9999999999999999999999,1]", "[-1,0]", "[0,0]", "[0,501]", "[null,null]", "[0]", "[0,\"1\"]",
        "[\"0\",\"1\"]", "[0,2147483648]", "[-9223372036854775808,1]", "[9223372036854775807,500]", "[0,1,2]", "[[],{}]", "[0,-1]",
        "[1e3,1]", "[true,false]",
    ];

    private static readonly string[] UnknownMethods =
    [
        "DeleteEverything", "", " ", "OnConnectedAsync", "OnDisconnectedAsync", "Dispose", "send", "SEND", "Clients", "Context",
        "Groups", "History\u0000", "Sénd", "Who ", "<script>", "Send\u202E", "GetType", "ToString", "Finalize", "MemberwiseClone",
    ];

    private static readonly string[] OtherMessageTypes =
    [
        "{\"type\":2,\"invocationId\":\"1\",\"item\":\"x\"}",
        "{\"type\":3,\"invocationId\":\"nobody-asked\",\"result\":1}",
        "{\"type\":3,\"invocationId\":\"nobody-asked\",\"error\":\"boom\"}",
        "{\"type\":4,\"invocationId\":\"s1\",\"target\":\"Send\",\"arguments\":[\"x\"]}",
        "{\"type\":4,\"invocationId\":\"s2\",\"target\":\"History\",\"arguments\":[0,1]}",
        "{\"type\":5,\"invocationId\":\"never-started\"}",
        "{\"type\":6}",
        "{\"type\":8,\"sequenceId\":1}",
        "{\"type\":9,\"sequenceId\":-5}",
        "{\"type\":7}",
        "{\"type\":7,\"error\":\"client says bye\",\"allowReconnect\":true}",
    ];

    private static string OddInvocationId(Random random) => random.Next(6) switch
    {
        0 => "{\"type\":1,\"invocationId\":5,\"target\":\"Who\",\"arguments\":[]}",
        1 => "{\"type\":1,\"invocationId\":null,\"target\":\"Who\",\"arguments\":[]}",
        2 => "{\"type\":1,\"invocationId\":\"\",\"target\":\"Who\",\"arguments\":[]}",
        3 => "{\"type\":1,\"invocationId\":{\"a\":1},\"target\":\"Who\",\"arguments\":[]}",
        4 => $"{{\"type\":1,\"invocationId\":\"{new string('i', random.Next(1000, 20_000))}\",\"target\":\"Who\",\"arguments\":[]}}",
        _ => "{\"type\":1,\"invocationId\":\"dup\",\"target\":\"Who\",\"arguments\":[]}\u001e{\"type\":1,\"invocationId\":\"dup\",\"target\":\"Who\",\"arguments\":[]}",
    };

    private static string NastySendText(Random random) => random.Next(5) switch
    {
        0 => random.Words(random.Next(1999, 2003)),
        1 => new string(' ', random.Next(1, 100)),
        2 => "x\r\n[12:00:00] pairweb: pair-web 0\n* pairweb left",
        _ => random.NastyText(12),
    };

    private static byte[] SeveralFrames(Random random)
    {
        var frames = new List<byte>();
        for (var i = random.Next(2, 6); i > 0; i--)
        {
            frames.AddRange(random.Next(3) switch
            {
                0 => Frame(Invocation(random, "Who", "[]")),
                1 => Frame(Invocation(random, "Send", JsonSerializer.Serialize(new[] { random.Words(20) }))),
                _ => Frame(Invocation(random, "History", "[0,3]")),
            });
        }
        return frames.ToArray();
    }

    private static byte[] Handshake(Random random) => random.Next(9) switch
    {
        0 => Frame("{\"protocol\":\"messagepack\",\"version\":1}"),
        1 => Frame("{\"protocol\":\"json\",\"version\":99}"),
        2 => Frame("{\"protocol\":\"json\"}"),
        3 => Frame("{\"protocol\":5,\"version\":\"1\"}"),
        4 => Frame("not a handshake"),
        5 => Frame("{}"),
        6 => Frame("{\"protocol\":\"json\",\"version\":1,\"junk\":\"" + new string('j', ReceiveLimit + 10) + "\"}"),
        7 => Frame(random.NastyText()),
        _ => Utf8.GetBytes("{\"protocol\":\"json\",\"version\":1}"), // no separator: never completes
    };
}
