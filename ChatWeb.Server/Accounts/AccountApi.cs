using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ChatWeb.Server.Security;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Accounts;

public sealed record Credentials(string UserName, string Password);
public sealed record TokenResponse(string AccessToken, int ExpiresIn);
public sealed record PasswordChange(string CurrentPassword, string NewPassword);

/// <summary><c>/api/account</c>: register, get an access token, change one's password. Errors are ProblemDetails.</summary>
public static class AccountApi
{
    public static RouteGroupBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/account").WithTags("Account");

        // Each checks a password or creates an account, so each spends from the client's sign-in budget.
        group.MapPost("/register", RegisterAsync).SpendsSignInBudget();
        group.MapPost("/token", IssueTokenAsync).SpendsSignInBudget();
        group.MapPost("/password", ChangePasswordAsync).RequireAuthorization().SpendsSignInBudget();

        return group;
    }

    private static async Task<Results<Created, ValidationProblem, ProblemHttpResult>> RegisterAsync(Credentials body, AccountService accounts)
    {
        var result = await accounts.RegisterAsync(body.UserName, body.Password);
        if (result.Succeeded) return TypedResults.Created($"/api/account/{Uri.EscapeDataString(body.UserName.Trim())}");
        // A name that breaks the rules is a 400 even when its normalized form is taken ("ａdmin" beside "admin").
        if (result.Errors.Any(e => e.Code == UserNameRules.InvalidCode))
            return TypedResults.ValidationProblem(ToErrors(result), title: "The account could not be registered");
        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName)))
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "That name is taken", detail: $"The name '{body.UserName}' is already registered (names are compared ignoring case).");
        if (result.Errors.FirstOrDefault(e => e.Code == LookAlikes.ErrorCode) is { } lookAlike)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "That name is taken", detail: lookAlike.Description);
        return TypedResults.ValidationProblem(ToErrors(result), title: "The account could not be registered");
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueTokenAsync(
        Credentials body, AccountService accounts, AccessTokens tokens, HttpContext http)
    {
        var outcome = await accounts.CheckPasswordAsync(body.UserName, body.Password, http.Connection.RemoteIpAddress, "api");
        return outcome switch
        {
            { Status: SignInStatus.Success, User: { } user } =>
                TypedResults.Ok(new TokenResponse(tokens.Issue(user, TokenScope.Api), (int)tokens.Lifetime.TotalSeconds)),
            { Status: SignInStatus.LockedOut } =>
                TypedResults.Problem(statusCode: StatusCodes.Status423Locked, title: "Account locked", detail: "Too many failed sign-ins; try again in a few minutes."),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Wrong name or password"),
        };
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePasswordAsync(PasswordChange body, AccountService accounts, ClaimsPrincipal principal)
    {
        var name = principal.Identity!.Name!;
        var result = await accounts.ChangePasswordAsync(name, body.CurrentPassword, body.NewPassword);
        if (result.Succeeded) return TypedResults.NoContent();
        if (result.Errors.FirstOrDefault(e => e.Code == AccountService.LockedOutCode) is { } locked)
            return TypedResults.Problem(statusCode: StatusCodes.Status423Locked, title: "Account locked", detail: locked.Description);
        return TypedResults.ValidationProblem(ToErrors(result), title: "The password was not changed");
    }

    private static Dictionary<string, string[]> ToErrors(IdentityResult result) =>
        result.Errors
            .GroupBy(e => e.Code.Contains("Password", StringComparison.OrdinalIgnoreCase) ? "password" : "userName")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
}
