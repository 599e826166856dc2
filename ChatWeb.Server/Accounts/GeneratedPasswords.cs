using System.Security.Cryptography;

namespace ChatWeb.Server.Accounts;

/// <summary>Passwords the server makes up (the first admin's, an operator's reset): read aloud or typed from a screen, so no 0/O or 1/l/I.</summary>
public static class GeneratedPasswords
{
    private const string Unambiguous = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string New(int length) => RandomNumberGenerator.GetString(Unambiguous, length);
}
