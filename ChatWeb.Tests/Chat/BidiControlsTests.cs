using ChatWeb.Server.Chat;

namespace ChatWeb.Tests.Chat;

public sealed class BidiControlsTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("\u202Ereversed\u202C", "reversed")]
    [InlineData("\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069", "")]
    [InlineData("a\u2066\u2067b\u2069\u2069c", "abc")]
    [InlineData("emoji \U0001F600\u202E kept", "emoji \U0001F600 kept")]          // surrogate pairs are untouched
    [InlineData("marks \u200E\u200F\u061C kept", "marks \u200E\u200F\u061C kept")]
    [InlineData("near misses \u2029\u206A\u2065\u202F kept", "near misses \u2029\u206A\u2065\u202F kept")]
    public void StripRemovesEveryBidiControlAndNothingElse(string text, string expected) =>
        Assert.Equal(expected, BidiControls.Strip(text));

    [Fact]
    public void TextWithoutControlsIsReturnedAsIs()
    {
        var text = "nothing to strip";
        Assert.Same(text, BidiControls.Strip(text));
    }
}
