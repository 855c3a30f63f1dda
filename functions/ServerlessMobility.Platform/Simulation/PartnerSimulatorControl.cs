using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ServerlessMobility.Platform.Simulation;

/// <summary>The names of the partner simulators, as the Development-only control API spells them.</summary>
public static class PartnerSimulators
{
    /// <summary>Card holds, captures, voids and invoice charges of over-the-air features; subject: the customer id.</summary>
    public const string CardPayments = "card-payments";

    /// <summary>Payment intents of car orders, answered by signed webhook; subject: the order id.</summary>
    public const string PaymentProvider = "payment-provider";

    /// <summary>Factory orders, placed synchronously, manufacturing stages by signed webhook; subject: the order id.</summary>
    public const string Factory = "factory";

    /// <summary>Vehicle registration with the authority; subject: the order id.</summary>
    public const string RegistrationOffice = "registration-office";

    /// <summary>Rent-to-own instalment charges; subject: the plan id or the customer id.</summary>
    public const string MobileMoney = "mobile-money";

    /// <summary>The shared payments capability's collections (service-contract instalments); subject: the account or the customer id.</summary>
    public const string SharedPayments = "payments";

    /// <summary>Simulators that answer by webhook and so have a mode (automatic or manual).</summary>
    public static IReadOnlySet<string> WithWebhooks { get; } = new HashSet<string>(StringComparer.Ordinal) { PaymentProvider, Factory };
}

/// <summary>What a simulator does with the next call for a subject.</summary>
public enum SimulatedOutcomeKind
{
    /// <summary>Answer as a healthy partner does (approve, accept, pay, build, register).</summary>
    Approve,

    /// <summary>Refuse with <see cref="ScriptedOutcome.Code"/> (a card or wallet decline, a payment.failed webhook).</summary>
    Decline,

    /// <summary>The partner errs: the call throws, as an HTTP 5xx or a broken connection would.</summary>
    Fail,

    /// <summary>Answer as <see cref="SimulatedOutcomeKind.Approve"/>, but only after <see cref="ScriptedOutcome.Delay"/>.</summary>
    Delay,

    /// <summary>
    /// No answer: a synchronous call waits <see cref="SimulatorControlOptions.NeverAnswerTimeout"/> and then
    /// times out; a partner that answers by webhook takes the call and never sends the webhook.
    /// </summary>
    [JsonStringEnumMemberName("never-answer")]
    NeverAnswer,

    /// <summary>The factory refuses the order at <see cref="ScriptedOutcome.Stage"/> ("order", the default: when it is placed; or a manufacturing stage).</summary>
    Reject,
}

/// <summary>
/// One scripted answer. <paramref name="Times"/> is how many calls it answers (0: every call until the
/// script is replaced or deleted).
/// </summary>
public sealed record ScriptedOutcome(SimulatedOutcomeKind Outcome, string? Code = null, TimeSpan? Delay = null, string? Stage = null, int Times = 1);

/// <summary>Whether a webhook-answering simulator sends its webhooks itself, or leaves them to a person or a test.</summary>
public enum SimulatorMode
{
    Automatic,
    Manual,
}

/// <summary>One thing a simulator did: the call, for whom, what it answered.</summary>
public sealed record SimulatorActivity(string Simulator, string Subject, string Operation, string Outcome, string? Detail, DateTimeOffset At);

public sealed class SimulatorControlOptions
{
    public const string SectionName = "Simulators";

    /// <summary>How long a synchronous call scripted to never answer waits before it times out.</summary>
    public TimeSpan NeverAnswerTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The control surface of the local partner simulators: scripted outcomes per simulator, tenant and subject
/// (a customer, order, plan), a mode per simulator and tenant, and a log of what each simulator did. Kept per
/// tenant, so tests sharing one host stay apart. In-process state of the local host; the Development-only
/// API <c>/api/dev/simulators</c> drives it, and no production wiring contains it.
/// </summary>
public sealed class PartnerSimulatorControl(TimeProvider time, IOptions<SimulatorControlOptions>? options = null)
{
    private const int MaxActivityPerTenant = 1000;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Simulator, string Tenant, string Subject), List<Entry>> _scripts = [];
    private readonly Dictionary<(string Simulator, string Tenant), SimulatorMode> _modes = [];
    private readonly Dictionary<string, List<(string Tenant, SimulatorActivity Activity)>> _activity = new(StringComparer.Ordinal);

    /// <summary>Replaces the script of one subject; an empty list removes it.</summary>
    public void Script(string simulator, string tenantId, string subject, IEnumerable<ScriptedOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var entries = outcomes.Select(o => new Entry(o, o.Times)).ToList();
        lock (_lock)
        {
            if (entries.Count == 0)
            {
                _scripts.Remove((simulator, tenantId, subject));
            }
            else
            {
                _scripts[(simulator, tenantId, subject)] = entries;
            }
        }
    }

    /// <summary>What is still scripted for the subject, next first (a repeating outcome shows Times 0).</summary>
    public IReadOnlyList<ScriptedOutcome> Pending(string simulator, string tenantId, string subject)
    {
        lock (_lock)
        {
            return _scripts.TryGetValue((simulator, tenantId, subject), out var entries)
                ? [.. entries.Select(e => e.Outcome with { Times = e.Left })]
                : [];
        }
    }

    /// <summary>Every scripted subject of the tenant for the simulator.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ScriptedOutcome>> Scripts(string simulator, string tenantId)
    {
        lock (_lock)
        {
            return _scripts.Where(s => s.Key.Simulator == simulator && s.Key.Tenant == tenantId)
                .OrderBy(s => s.Key.Subject, StringComparer.Ordinal)
                .ToDictionary(s => s.Key.Subject, s => (IReadOnlyList<ScriptedOutcome>)[.. s.Value.Select(e => e.Outcome with { Times = e.Left })], StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Takes the next scripted outcome of the first subject that has one (a call may be known by several: a
    /// plan and its customer); null when nothing is scripted, and the simulator behaves as configured.
    /// </summary>
    public ScriptedOutcome? Next(string simulator, string tenantId, params string?[] subjects)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        lock (_lock)
        {
            foreach (var subject in subjects)
            {
                if (subject is null || !_scripts.TryGetValue((simulator, tenantId, subject), out var entries) || entries.Count == 0)
                {
                    continue;
                }

                var entry = entries[0];
                if (entry.Left > 0 && --entry.Left == 0)
                {
                    entries.RemoveAt(0);
                    if (entries.Count == 0)
                    {
                        _scripts.Remove((simulator, tenantId, subject));
                    }
                }

                return entry.Outcome;
            }
        }

        return null;
    }

    /// <summary>Sets the mode of a webhook-answering simulator for the tenant; null goes back to the configured default.</summary>
    public void SetMode(string simulator, string tenantId, SimulatorMode? mode)
    {
        lock (_lock)
        {
            if (mode is { } value)
            {
                _modes[(simulator, tenantId)] = value;
            }
            else
            {
                _modes.Remove((simulator, tenantId));
            }
        }
    }

    /// <summary>The tenant's mode, or <paramref name="configured"/> when none was set.</summary>
    public SimulatorMode ModeOf(string simulator, string tenantId, SimulatorMode configured)
    {
        lock (_lock)
        {
            return _modes.TryGetValue((simulator, tenantId), out var mode) ? mode : configured;
        }
    }

    public void Record(string simulator, string tenantId, string subject, string operation, string outcome, string? detail = null)
    {
        var activity = new SimulatorActivity(simulator, subject, operation, outcome, detail, time.GetUtcNow());
        lock (_lock)
        {
            if (!_activity.TryGetValue(simulator, out var list))
            {
                _activity[simulator] = list = [];
            }

            list.Add((tenantId, activity));
            if (list.Count(a => a.Tenant == tenantId) > MaxActivityPerTenant)
            {
                list.RemoveAt(list.FindIndex(a => a.Tenant == tenantId));
            }
        }
    }

    /// <summary>What the simulator did for the tenant, oldest first.</summary>
    public IReadOnlyList<SimulatorActivity> Activity(string simulator, string tenantId)
    {
        lock (_lock)
        {
            return _activity.TryGetValue(simulator, out var list) ? [.. list.Where(a => a.Tenant == tenantId).Select(a => a.Activity)] : [];
        }
    }

    /// <summary>How long a synchronous call scripted to never answer waits before it times out.</summary>
    public TimeSpan NeverAnswerTimeout => options?.Value.NeverAnswerTimeout ?? new SimulatorControlOptions().NeverAnswerTimeout;

    /// <summary>
    /// Plays the synchronous part of an outcome: <see cref="SimulatedOutcomeKind.Delay"/> waits its delay,
    /// <see cref="SimulatedOutcomeKind.NeverAnswer"/> waits <see cref="NeverAnswerTimeout"/> and throws a
    /// <see cref="TimeoutException"/>, <see cref="SimulatedOutcomeKind.Fail"/> throws an <see cref="HttpRequestException"/>.
    /// </summary>
    public async Task WaitAsync(ScriptedOutcome? outcome, CancellationToken cancellationToken)
    {
        switch (outcome?.Outcome)
        {
            case SimulatedOutcomeKind.Delay:
                await Task.Delay(outcome.Delay ?? TimeSpan.Zero, time, cancellationToken).ConfigureAwait(false);
                break;
            case SimulatedOutcomeKind.NeverAnswer:
                await Task.Delay(NeverAnswerTimeout, time, cancellationToken).ConfigureAwait(false);
                throw new TimeoutException("The partner did not answer (simulated).");
            case SimulatedOutcomeKind.Fail:
                throw new HttpRequestException($"The partner failed (simulated){(outcome.Code is { } code ? ": " + code : string.Empty)}.");
            default:
                break;
        }
    }

    /// <summary>The outcome's name as the API and the activity log spell it.</summary>
    public static string NameOf(SimulatedOutcomeKind kind) => kind switch
    {
        SimulatedOutcomeKind.NeverAnswer => "never-answer",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private sealed class Entry(ScriptedOutcome outcome, int left)
    {
        public ScriptedOutcome Outcome { get; } = outcome;

        public int Left { get; set; } = left;
    }
}

public static class PartnerSimulatorControlServiceCollectionExtensions
{
    /// <summary>The one control of the partner simulators; added with the simulators, so only where they are wired.</summary>
    public static IServiceCollection AddPartnerSimulatorControl(this IServiceCollection services)
    {
        services.AddOptions<SimulatorControlOptions>().BindConfiguration(SimulatorControlOptions.SectionName)
            .Validate(o => o.NeverAnswerTimeout > TimeSpan.Zero, "Simulators:NeverAnswerTimeout must be positive.");
        services.TryAddSingleton<PartnerSimulatorControl>();
        return services;
    }
}
