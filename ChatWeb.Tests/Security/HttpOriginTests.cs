using ChatWeb.Server.Security;

namespace ChatWeb.Tests.Security;

/// <summary>
/// What counts as an origin when the hubs compare one with their own: only the ASCII form browsers send.
/// Look-alikes that some parser might normalise into our host (full-width digits, Cyrillic letters, percent
/// escapes) are no origin at all, so they can never compare equal.
/// </summary>
public sealed class HttpOriginTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000")]
    [InlineData("HTTP://LOCALHOST:5000", "http://localhost:5000")]
    [InlineData("https://chat.example.org", "https://chat.example.org:443")]
    [InlineData("https://chat.example.org:443", "https://chat.example.org:443")]
    [InlineData("http://chat.example.org", "http://chat.example.org:80")]
    [InlineData("http://[::1]:5000", "http://[::1]:5000")]
    [InlineData("http://[0:0:0:0:0:0:0:1]:5000", "http://[::1]:5000")]
    [InlineData("https://xn--80akhbyknj4f.example", "https://xn--80akhbyknj4f.example:443")]
    public void AnOriginReadsAsSchemeHostAndPort(string text, string origin)
    {
        Assert.True(HttpOrigin.TryParse(text, out var parsed));
        Assert.Equal(origin, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("*")]
    [InlineData("127.0.0.1:5000")]
    [InlineData("//127.0.0.1:5000")]
    [InlineData("ws://127.0.0.1:5000")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://127.0.0.1:5000/")]
    [InlineData("http://127.0.0.1:5000/chat")]
    [InlineData("http://127.0.0.1:5000?x")]
    [InlineData("http://127.0.0.1:5000#x")]
    [InlineData("http://user@127.0.0.1:5000")]
    [InlineData("http://127.0.0.1:5000@evil.example")]
    [InlineData("http://evil.example\\@127.0.0.1:5000")]
    [InlineData("http://127.0.0.%31:5000")]
    [InlineData("http://127.0.0.1:99999")]
    [InlineData("http://127.0.0.1:5000 ")]
    [InlineData(" http://127.0.0.1:5000")]
    [InlineData("http://127.0.0.1:5000, http://evil.example")]
    [InlineData("http://\uFF11\uFF12\uFF17.0.0.1:5000")]   // full-width digits
    [InlineData("http://127\u30020.0.1:5000")]             // ideographic full stop
    [InlineData("http://\u0441hat.example.org")]            // Cyrillic es
    [InlineData("http://cha\u0074\u0307.example.org")]      // a combining dot
    [InlineData("http://localhost\u0000:5000")]
    public void AnythingElseIsNoOrigin(string? text) =>
        Assert.False(HttpOrigin.TryParse(text, out _));
}
