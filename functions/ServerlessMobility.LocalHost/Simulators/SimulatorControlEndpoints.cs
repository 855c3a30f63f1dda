using ServerlessMobility.Platform.Payments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessMobility.CarAsAService;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Simulation;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Simulation;
using ServerlessMobility.CarAsAService.Partners;

namespace ServerlessMobility.LocalHost.Simulators;

/// <summary>
/// <c>/api/dev/simulators</c>: script the local partner simulators, switch the webhook partners to manual, and
/// read what they did. Mapped by the local host only, only in Development, and only for the simulators that are
/// the wired implementation of their port; the Functions app never maps it. Operators and admins of a tenant
/// control that tenant's simulation only (the tenant comes from the token), so parallel tests stay apart.
/// </summary>
public static class SimulatorControlEndpoints
{
    private const int MaxSubjectLength = 128;
    public const int MaxOutcomes = 100;

    public const int MaxCodeLength = 64;

    public const int MaxTimes = 1000;

    public const string ApproveOutcome = "approve";

    public const string DeclineOutcome = "decline";

    public const string FailOutcome = "fail";

    public const string DelayOutcome = "delay";

    public const string NeverAnswerOutcome = "never-answer";

    public const string RejectOutcome = "reject";

    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    /// <summary>The simulators wired in this host, by the name the API uses.</summary>
    public static IReadOnlyList<string> WiredSimulators(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.GetService<PartnerSimulatorControl>() is null)
        {
            return [];
        }

        var wired = new List<string>();
        if (services.GetService<ICardPayments>() is SimulatedCardPayments)
        {
            wired.Add(PartnerSimulators.CardPayments);
        }

        if (services.GetService<IPaymentProvider>() is SimulatedPaymentProvider)
        {
            wired.Add(PartnerSimulators.PaymentProvider);
        }

        if (services.GetService<IFactory>() is SimulatedFactory)
        {
            wired.Add(PartnerSimulators.Factory);
        }

        if (services.GetService<IRegistrationOffice>() is SimulatedRegistrationOffice)
        {
            wired.Add(PartnerSimulators.RegistrationOffice);
        }

        if (services.GetService<IMobileMoneyGateway>() is SimulatedMobileMoneyGateway)
        {
            wired.Add(PartnerSimulators.MobileMoney);
        }

        if (services.GetService<IPaymentCollector>() is SimulatedPaymentCollector)
        {
            wired.Add(PartnerSimulators.SharedPayments);
        }

        return wired;
    }

    /// <summary>Maps the routes inside the /api group when at least one simulator is wired; call only in Development.</summary>
    public static void MapSimulatorControl(this RouteGroupBuilder api, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(api);
        var wired = WiredSimulators(services);
        if (wired.Count == 0)
        {
            return;
        }

        api.MapGet("/dev/simulators", (HttpContext http, PartnerSimulatorControl control, IOptions<SimulatorOptions> options) => List(http, control, options.Value, wired))
            .WithName("ListSimulators").WithTags("Development").RequireRoles(PlatformRoles.Operator, PlatformRoles.Admin);
        var group = api.MapGroup("/dev/simulators").WithTags("Development").RequireRoles(PlatformRoles.Operator, PlatformRoles.Admin);
        group.MapGet("/{simulator}/activity", (string simulator, HttpContext http, PartnerSimulatorControl control) => Activity(simulator, http, control, wired))
            .WithName("GetSimulatorActivity");
        group.MapPut("/{simulator}/scripts/{subject}", (string simulator, string subject, ScriptRequest request, HttpContext http, PartnerSimulatorControl control) =>
            Script(simulator, subject, request, http, control, wired)).WithName("ScriptSimulator");
        group.MapDelete("/{simulator}/scripts/{subject}", (string simulator, string subject, HttpContext http, PartnerSimulatorControl control) =>
            DeleteScript(simulator, subject, http, control, wired)).WithName("DeleteSimulatorScript");
        group.MapPut("/{simulator}/mode", (string simulator, ModeRequest request, HttpContext http, PartnerSimulatorControl control, IOptions<SimulatorOptions> options) =>
            SetMode(simulator, request, http, control, options.Value, wired)).WithName("SetSimulatorMode");
    }

    public static Ok<SimulatorListResponse> List(HttpContext http, PartnerSimulatorControl control, SimulatorOptions options, IReadOnlyList<string> wired)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(control);
        var tenant = CurrentUser.FromPrincipal(http.User).TenantId;
        return TypedResults.Ok(new SimulatorListResponse(tenant, [.. wired.Select(name => new SimulatorState(
            name,
            PartnerSimulators.WithWebhooks.Contains(name) ? ModeName(control.ModeOf(name, tenant, Configured(name, options))) : null,
            control.Scripts(name, tenant).ToDictionary(s => s.Key, s => (IReadOnlyList<ScriptedOutcomeResponse>)[.. s.Value.Select(ToResponse)], StringComparer.Ordinal)))]));
    }

    public static Ok<SimulatorActivityResponse> Activity(string simulator, HttpContext http, PartnerSimulatorControl control, IReadOnlyList<string> wired)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(control);
        RequireWired(simulator, wired);
        var tenant = CurrentUser.FromPrincipal(http.User).TenantId;
        return TypedResults.Ok(new SimulatorActivityResponse(simulator, control.Activity(simulator, tenant)));
    }

    public static Ok<SimulatorScriptResponse> Script(string simulator, string subject, ScriptRequest request, HttpContext http, PartnerSimulatorControl control, IReadOnlyList<string> wired)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(control);
        RequireWired(simulator, wired);
        RequireSubject(subject);
        var outcomes = Validate(simulator, request);
        var tenant = CurrentUser.FromPrincipal(http.User).TenantId;
        control.Script(simulator, tenant, subject, outcomes);
        return TypedResults.Ok(new SimulatorScriptResponse(simulator, subject, [.. control.Pending(simulator, tenant, subject).Select(ToResponse)]));
    }

    public static NoContent DeleteScript(string simulator, string subject, HttpContext http, PartnerSimulatorControl control, IReadOnlyList<string> wired)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(control);
        RequireWired(simulator, wired);
        RequireSubject(subject);
        control.Script(simulator, CurrentUser.FromPrincipal(http.User).TenantId, subject, []);
        return TypedResults.NoContent();
    }

    public static Ok<SimulatorModeResponse> SetMode(string simulator, ModeRequest request, HttpContext http, PartnerSimulatorControl control, SimulatorOptions options, IReadOnlyList<string> wired)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(options);
        RequireWired(simulator, wired);
        if (!PartnerSimulators.WithWebhooks.Contains(simulator))
        {
            throw RequestValidationException.For("mode", $"Only {string.Join(" and ", PartnerSimulators.WithWebhooks.Order(StringComparer.Ordinal))} answer by webhook and have a mode.");
        }

        SimulatorMode? mode = request.Mode?.Trim().ToLowerInvariant() switch
        {
            "automatic" => SimulatorMode.Automatic,
            "manual" => SimulatorMode.Manual,
            "default" => null,
            _ => throw RequestValidationException.For("mode", "mode must be \"automatic\", \"manual\" or \"default\" (the configured AutoPay / AutoManufacture)."),
        };
        var tenant = CurrentUser.FromPrincipal(http.User).TenantId;
        control.SetMode(simulator, tenant, mode);
        return TypedResults.Ok(new SimulatorModeResponse(simulator, ModeName(control.ModeOf(simulator, tenant, Configured(simulator, options)))));
    }

    private static SimulatorMode Configured(string simulator, SimulatorOptions options) =>
        (simulator == PartnerSimulators.PaymentProvider ? options.AutoPay : options.AutoManufacture) ? SimulatorMode.Automatic : SimulatorMode.Manual;

    private static string ModeName(SimulatorMode mode) => mode == SimulatorMode.Manual ? "manual" : "automatic";

    private static void RequireWired(string simulator, IReadOnlyList<string> wired)
    {
        if (!wired.Contains(simulator, StringComparer.Ordinal))
        {
            throw new ResourceNotFoundException("Simulator", simulator);
        }
    }

    private static void RequireSubject(string subject)
    {
        if (string.IsNullOrWhiteSpace(subject) || subject.Length > MaxSubjectLength)
        {
            throw RequestValidationException.For("subject", $"The subject (a customer, order or plan id) must be 1 to {MaxSubjectLength} characters.");
        }
    }

    private static List<ScriptedOutcome> Validate(string simulator, ScriptRequest request)
    {
        if (request?.Outcomes is not { Count: > 0 and <= MaxOutcomes } requested)
        {
            throw RequestValidationException.For("outcomes", $"1 to {MaxOutcomes} outcomes are required (DELETE the script to remove it).");
        }

        var errors = new Dictionary<string, string[]>();
        var outcomes = new List<ScriptedOutcome>();
        for (var i = 0; i < requested.Count; i++)
        {
            var item = requested[i];
            var field = $"outcomes[{i}]";
            if (item is null)
            {
                errors[field] = ["An outcome object is required."];
                continue;
            }

            SimulatedOutcomeKind? kind = item.Outcome?.Trim().ToLowerInvariant() switch
            {
                ApproveOutcome => SimulatedOutcomeKind.Approve,
                DeclineOutcome => SimulatedOutcomeKind.Decline,
                FailOutcome => SimulatedOutcomeKind.Fail,
                DelayOutcome => SimulatedOutcomeKind.Delay,
                NeverAnswerOutcome => SimulatedOutcomeKind.NeverAnswer,
                RejectOutcome => SimulatedOutcomeKind.Reject,
                _ => null,
            };
            if (kind is null)
            {
                errors[field + ".outcome"] = ["outcome must be approve, decline, fail, delay, never-answer or reject."];
                continue;
            }

            if (kind == SimulatedOutcomeKind.Reject && simulator != PartnerSimulators.Factory)
            {
                errors[field + ".outcome"] = ["reject is the factory's; the other simulators decline."];
            }

            if (kind == SimulatedOutcomeKind.Delay && (item.Delay is not { } delay || delay <= TimeSpan.Zero || delay > MaxDelay))
            {
                errors[field + ".delay"] = ["A delay outcome needs a delay from 00:00:00.001 to 1.00:00:00."];
            }

            if (item.Stage is { } stage && (kind != SimulatedOutcomeKind.Reject
                || !(stage == SimulatedFactory.OrderStage || SimulatedFactory.Stages.Take(SimulatedFactory.Stages.Count - 1).Contains(stage, StringComparer.Ordinal))))
            {
                errors[field + ".stage"] = [$"stage goes with reject only, and is \"{SimulatedFactory.OrderStage}\" (when placed) or a stage before ready_for_delivery: {string.Join(", ", SimulatedFactory.Stages.Take(SimulatedFactory.Stages.Count - 1))}."];
            }

            if (item.Code is { Length: > MaxCodeLength })
            {
                errors[field + ".code"] = [$"code is at most {MaxCodeLength} characters."];
            }

            if (item.Times is < 0 or > MaxTimes)
            {
                errors[field + ".times"] = [$"times is 0 (every call until the script changes) to {MaxTimes}; 1 when omitted."];
            }

            outcomes.Add(new ScriptedOutcome(kind.Value, item.Code, item.Delay, item.Stage, item.Times ?? 1));
        }

        if (outcomes.Take(outcomes.Count - 1).Any(o => o.Times == 0))
        {
            errors["outcomes"] = ["Only the last outcome can repeat (times 0): the ones after it would never be reached."];
        }

        return errors.Count > 0 ? throw new RequestValidationException(errors) : outcomes;
    }

    private static ScriptedOutcomeResponse ToResponse(ScriptedOutcome outcome) =>
        new(PartnerSimulatorControl.NameOf(outcome.Outcome), outcome.Code, outcome.Delay, outcome.Stage, outcome.Times);
}

/// <param name="Times">How many calls the outcome answers: 1 when omitted, 0 for every call until the script changes.</param>
/// <param name="Delay">With delay only: from 00:00:00.001 to 1.00:00:00.</param>
/// <param name="Stage">With reject only (the factory's).</param>
public sealed record ScriptedOutcomeRequest(
    [property: System.ComponentModel.DataAnnotations.Required, System.ComponentModel.DataAnnotations.AllowedValues(SimulatorControlEndpoints.ApproveOutcome, SimulatorControlEndpoints.DeclineOutcome, SimulatorControlEndpoints.FailOutcome, SimulatorControlEndpoints.DelayOutcome, SimulatorControlEndpoints.NeverAnswerOutcome, SimulatorControlEndpoints.RejectOutcome)] string? Outcome,
    [property: System.ComponentModel.DataAnnotations.MaxLength(SimulatorControlEndpoints.MaxCodeLength)] string? Code = null,
    TimeSpan? Delay = null,
    string? Stage = null,
    [property: System.ComponentModel.DataAnnotations.Range(0, SimulatorControlEndpoints.MaxTimes)] int? Times = null);

public sealed record ScriptRequest(
    [property: System.ComponentModel.DataAnnotations.Required, System.ComponentModel.DataAnnotations.Length(1, SimulatorControlEndpoints.MaxOutcomes)] IReadOnlyList<ScriptedOutcomeRequest?>? Outcomes);

public sealed record ModeRequest(string? Mode);

public sealed record ScriptedOutcomeResponse(string Outcome, string? Code, TimeSpan? Delay, string? Stage, int Times);

public sealed record SimulatorState(string Name, string? Mode, IReadOnlyDictionary<string, IReadOnlyList<ScriptedOutcomeResponse>> Scripts);

public sealed record SimulatorListResponse(string TenantId, IReadOnlyList<SimulatorState> Simulators);

public sealed record SimulatorActivityResponse(string Simulator, IReadOnlyList<SimulatorActivity> Items);

public sealed record SimulatorScriptResponse(string Simulator, string Subject, IReadOnlyList<ScriptedOutcomeResponse> Outcomes);

public sealed record SimulatorModeResponse(string Simulator, string Mode);
