using System.Net;
using System.Text;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Security;

/// <summary>Requests the fuzzer found answered with a 500 and an error in the log; each is a client's mistake, answered as one.</summary>
public sealed class MalformedRequestTests : ServerTest
{
    [Theory]
    [InlineData("application/json; charset=bogus")]
    [InlineData("application/json; charset=\"x-no-such-charset\"")]
    public async Task JsonBodyInACharsetNobodyKnowsGets415AndLeavesTheLogClean(string contentType)
    {
        using var http = App.NewClient();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"userName\":\"alice\",\"password\":\"password-1\"}"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await http.PostAsync("/api/account/register", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("send UTF-8", await response.Content.ReadAsStringAsync());
        Assert.Empty(ServerLog.Problems(Path.Combine(App.DataDirectory, "log.txt")));
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json; charset=utf-16")]
    public async Task JsonBodyInAKnownCharsetIsRead(string contentType)
    {
        using var http = App.NewClient();
        var encoding = contentType.EndsWith("utf-16", StringComparison.Ordinal) ? Encoding.Unicode : Encoding.UTF8;
        var content = new ByteArrayContent(encoding.GetBytes("{\"userName\":\"alice\",\"password\":\"password-1\"}"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await http.PostAsync("/api/account/register", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
