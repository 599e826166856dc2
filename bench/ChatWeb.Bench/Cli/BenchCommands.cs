using ChatWeb.Bench.Measuring;
using ChatWeb.Bench.Results;
using ChatWeb.Bench.Scenarios;
using ChatWeb.Bench.Transports;

namespace ChatWeb.Bench.Cli;

/// <summary>The bench's commands: one scenario against one running server each; <c>report</c> turns a results file into tables.</summary>
internal static class BenchCommands
{
    public const string Usage = """
        ChatWeb.Bench: fan-out, idle and connect benchmarks for ChatWeb, IRC servers and a bare SignalR hub,
        and a soak for ChatWeb. The server must already run; bench/run.sh starts them all and calls this for
        each scenario, bench/soak.sh does the same for the soak.

          register --http URL --count N --accounts FILE [--parallel 8]
          fanout   --transport T --clients N --senders S --rate MSGS_PER_S [--seconds 10] [--step] [--max-rate 1000000]
                   [--text-bytes 64] [--drain 5] [--warm-up 3] [--fixed-deliveries D1,D2 [--fixed-seconds 10]]
                   (--fixed-deliveries: first a run at each of these offered deliveries/s, for CPU per delivery at equal load)
          idle     --transport T --clients N
          connect  --transport T --clients N [--path resume|password]
          soak     --transport T --clients N [--minutes 10] [--rate-per-client 0.2] [--churn-clients 10]
                   [--sample-seconds 10] [--text-bytes 64] [--drain 10] [--server-log FILE]
          report   --results FILE [--every-run] [--compare BASE_TARGET,TARGET]
                   (--every-run: every fan-out run and every soak sample; --compare: a table of TARGET against
                    BASE_TARGET per scenario, medians of repeated runs, with a verdict: within 10 % of the base or better)

        Common to the scenarios:
          --target NAME       a label for the server (chatweb, ngircd, inspircd, barehub)
          --pid PID           the server's process, read from /proc for RSS and CPU
          --tcp HOST:PORT     ChatWeb's TCP gateway      --irc HOST:PORT   an IRC server
          --http URL          ChatWeb's or the bare hub's HTTP address
          --accounts FILE     accounts written by register (ChatWeb transports)
          --results FILE      append each JSON result line here too
          --timeout SECONDS   stop the whole command after this long (default 1800)
        Transports: tcp, hub, mixed (half each), irc, barehub.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        try
        {
            var arguments = Arguments.Parse(args);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(arguments.Number("timeout", 1800)));
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            await RunCommandAsync(arguments, stop.Token);
            return 0;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or BenchClientException or IOException or OperationCanceledException or HttpRequestException)
        {
            Console.Error.WriteLine($"bench: {ex.Message}");
            return 1;
        }
    }

    private static async Task RunCommandAsync(Arguments a, CancellationToken cancellationToken)
    {
        if (a.Command == "report")
        {
            var path = a.Text("results");
            var everyRun = a.Flag("every-run");
            var compare = a.Optional("compare")?.Split(',');
            a.RejectUnknown();
            if (compare is not null and not [_, _]) throw new ArgumentException("--compare takes two targets: BASE,CURRENT");
            var results = ResultLog.Read(path);
            ResultTable.Print(results, Console.Out, everyRun);
            if (compare is [var baseTarget, var currentTarget]) BaselineTable.Print(results, baseTarget, currentTarget, Console.Out);
            return;
        }

        var target = a.Text("target", "chatweb");
        var process = new ServerProcess(a.Int("pid", 0));
        var log = new ResultLog(a.Optional("results"));
        var http = a.Url("http");
        var accountsPath = a.Optional("accounts");

        if (a.Command == "register")
        {
            var count = a.Int("count", 100);
            var parallel = a.Int("parallel", 8);
            a.RejectUnknown();
            RequireServer(process);
            await new AccountRegistration(http ?? throw new ArgumentException("--http is required"), process, target, log)
                .RunAsync(count, parallel, accountsPath ?? throw new ArgumentException("--accounts is required"), cancellationToken);
            return;
        }

        var accounts = accountsPath is null ? [] : AccountsFile.Read(accountsPath);
        using var server = new ServerUnderTest(a.EndPoint("tcp"), http, a.EndPoint("irc"), accounts);
        var transport = a.Text("transport");
        var clients = a.Int("clients", 100);
        switch (a.Command)
        {
            case "fanout":
                var settings = new FanoutSettings(target, transport, clients, a.Int("senders", 10), a.Number("rate", 1000), a.Number("seconds", 10),
                    a.Int("text-bytes", 64), a.Number("drain", 5), a.Number("max-rate", 1_000_000), a.Number("warm-up", 3),
                    a.Numbers("fixed-deliveries"), a.Number("fixed-seconds", 10));
                var step = a.Flag("step");
                a.RejectUnknown();
                RequireServer(process);
                await new FanoutScenario(server, process, settings, log).RunAsync(step, cancellationToken);
                break;
            case "idle":
                a.RejectUnknown();
                RequireServer(process);
                await new IdleScenario(server, process, target, transport, log).RunAsync(clients, cancellationToken);
                break;
            case "connect":
                var path = a.Text("path", "resume") switch
                {
                    "resume" => SignInPath.Resume,
                    "password" => SignInPath.Password,
                    var other => throw new ArgumentException($"--path '{other}': resume or password"),
                };
                a.RejectUnknown();
                RequireServer(process);
                await new ConnectScenario(server, process, target, transport, log).RunAsync(clients, path, cancellationToken);
                break;
            case "soak":
                var soak = new SoakSettings(target, transport, clients, a.Int("churn-clients", 10), a.Number("rate-per-client", 0.2), a.Number("minutes", 10),
                    a.Number("sample-seconds", 10), a.Int("text-bytes", 64), a.Number("drain", 10));
                var serverLog = new ServerLogWatch(a.Optional("server-log"));
                a.RejectUnknown();
                soak.Validate();
                RequireServer(process);
                // An account each, so that presence and the per-user rate limit see one user per client.
                if (accounts.Count < soak.Clients + soak.ChurnClients)
                    throw new ArgumentException($"the soak needs an account per client: {soak.Clients + soak.ChurnClients}, and --accounts has {accounts.Count}");
                var result = await new SoakScenario(server, process, serverLog, soak, log).RunAsync(cancellationToken);
                if (!result.Clean) throw new BenchClientException("the soak was not clean (see its summary)");
                break;
            default:
                throw new ArgumentException($"unknown command '{a.Command}'\n{Usage}");
        }
    }

    private static void RequireServer(ServerProcess process)
    {
        if (process.Pid <= 0 || !process.IsAlive) throw new ArgumentException($"--pid {process.Pid}: no such process (the server under test must be running)");
    }
}
