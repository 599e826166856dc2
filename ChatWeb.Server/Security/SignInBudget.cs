using System.Threading.RateLimiting;

namespace ChatWeb.Server.Security;

/// <summary>
/// The sign-in budget on ASP.NET Core's rate limiter: a named policy that every endpoint which checks a
/// password or creates an account carries itself (the account API, the login, register and change-password
/// forms). It is matched by endpoint, not by path, so every spelling of a path that routing sends to such
/// an endpoint (<c>/login/</c>, <c>/LOGIN</c>, <c>/%6Cogin</c>) spends alike. The partitions are the
/// <see cref="SignInThrottle"/>'s, which the TCP prompts spend from too.
/// </summary>
public static class SignInBudget
{
    public const string Policy = "sign-in";

    /// <summary>At most this long until a refused network's window ends (it starts at the first attempt).</summary>
    private static readonly string RetryAfterSeconds = ((int)SignInThrottle.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Puts the endpoint on the sign-in budget: each request but a read (GET, HEAD, OPTIONS) spends one attempt.</summary>
    public static TBuilder SpendsSignInBudget<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(Policy);

    internal static IServiceCollection AddSignInBudget(this IServiceCollection services)
    {
        services.AddSingleton<SignInThrottle>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
                return ValueTask.CompletedTask;
            };
            options.AddPolicy(Policy, context =>
            {
                var throttle = context.RequestServices.GetRequiredService<SignInThrottle>();
                // Reading a form page is not an attempt; anything that can submit one is.
                var network = throttle.IsEnabled && !IsRead(context.Request.Method)
                    ? ClientNetwork.Of(context.Connection.RemoteIpAddress)
                    : ClientNetwork.NotCounted;
                return network == ClientNetwork.NotCounted
                    ? RateLimitPartition.GetNoLimiter(network)
                    : RateLimitPartition.Get(network, key => new NetworkLimiter(throttle, key));
            });
        });
        return services;
    }

    private static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    /// <summary>
    /// The rate limiter's view of one network. It keeps no count of its own, so the framework's cache of these
    /// (dropped when idle) and the throttle's table can never disagree.
    /// </summary>
    private sealed class NetworkLimiter(SignInThrottle throttle, ClientNetwork network) : RateLimiter
    {
        private static readonly RateLimitLease Granted = new Lease(acquired: true);
        private static readonly RateLimitLease Refused = new Lease(acquired: false);

        public override TimeSpan? IdleDuration => throttle.IdleDuration(network);

        public override RateLimiterStatistics GetStatistics() => new() { CurrentAvailablePermits = throttle.Available(network) };

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => throttle.TryAcquire(network, permitCount) ? Granted : Refused;

        // There is no queue: an attempt over the budget is refused at once.
        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            ValueTask.FromResult(AttemptAcquireCore(permitCount));
    }

    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
