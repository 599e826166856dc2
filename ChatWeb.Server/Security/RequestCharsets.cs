using System.Text;
using Microsoft.Net.Http.Headers;

namespace ChatWeb.Server.Security;

/// <summary>
/// Request charsets, settled before anything reads a body. The framework's JSON reader throws on a
/// charset it cannot name (a 500 and an error in the log for a client's mistake, found by the fuzzer):
/// one .NET does not know (<c>charset=bogus</c>) is refused with 415, and a quoted one, which the
/// standard allows (<c>charset="utf-8"</c>) but the reader does not unquote, is unquoted.
/// </summary>
internal static class RequestCharsets
{
    public static IApplicationBuilder UseKnownRequestCharsets(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType) && mediaType.Charset.HasValue)
            {
                var name = HeaderUtilities.RemoveQuotes(mediaType.Charset).ToString();
                if (!IsKnown(name))
                {
                    await TypedResults.Problem(
                        statusCode: StatusCodes.Status415UnsupportedMediaType,
                        title: "Unsupported charset",
                        detail: $"The body's charset '{name}' is not one this server reads; send UTF-8.").ExecuteAsync(context);
                    return;
                }
                if (!mediaType.Charset.Equals(name, StringComparison.Ordinal))
                {
                    mediaType.Charset = name;
                    context.Request.ContentType = mediaType.ToString();
                }
            }
            await next(context);
        });

    private static bool IsKnown(string charset)
    {
        try
        {
            Encoding.GetEncoding(charset);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
