using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatWeb.Tests.Infrastructure;

/// <summary>The answer to a raw request: the status code and the body.</summary>
public sealed record RawHttpResponse(HttpStatusCode Status, string Body);

/// <summary>
/// HTTP/1.1 over a plain socket, with the request target sent byte for byte. HttpClient (through
/// <see cref="Uri"/>) removes dot segments and decodes escapes before sending, so path variants such as
/// <c>/api/account/./token</c> or <c>/login%2F</c> only reach the server this way.
/// </summary>
public static class RawHttp
{
    public static async Task<RawHttpResponse> SendAsync(Uri server, string method, string target, string? body = null,
        string contentType = "application/json", IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var socket = new TcpClient(AddressFamily.InterNetwork);
        await socket.ConnectAsync(IPAddress.Loopback, server.Port, timeout.Token);
        var stream = socket.GetStream();

        var payload = Encoding.UTF8.GetBytes(body ?? "");
        var request = new StringBuilder()
            .Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(server.Authority).Append("\r\n")
            .Append("Connection: close\r\n")
            .Append("Content-Length: ").Append(payload.Length).Append("\r\n");
        if (body is not null) request.Append("Content-Type: ").Append(contentType).Append("\r\n");
        foreach (var (name, value) in headers ?? []) request.Append(name).Append(": ").Append(value).Append("\r\n");
        request.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), timeout.Token);
        await stream.WriteAsync(payload, timeout.Token);

        // Connection: close, so the answer ends where the stream does.
        using var answer = new MemoryStream();
        await stream.CopyToAsync(answer, timeout.Token);
        var text = Encoding.UTF8.GetString(answer.ToArray());
        var status = int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return new RawHttpResponse((HttpStatusCode)status, bodyStart < 0 ? "" : text[(bodyStart + 4)..]);
    }
}
