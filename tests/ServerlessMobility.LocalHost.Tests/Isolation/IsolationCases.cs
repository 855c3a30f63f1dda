using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.LocalHost.Durable;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.LocalHost.Tests.Isolation;

/// <summary>What the other tenant's request must get.</summary>
public enum Isolation
{
    /// <summary>The route names tenant A's object: tenant B gets a 404, as for an object that does not exist.</summary>
    NamedObject,

    /// <summary>The route lists or searches: tenant B gets a success that holds none of tenant A's objects.</summary>
    Collection,

    /// <summary>The route creates something that refers to tenant A's object in its body: tenant B gets a 404.</summary>
    Reference,

    /// <summary>
    /// The route creates an object whose identity belongs to the tenant (a customer id): tenant B reusing tenant
    /// A's id creates B's own, separate object, and its answer holds nothing of A's.
    /// </summary>
    Separate,

    /// <summary>
    /// A VIN names one physical vehicle, so registering one that another tenant holds is a 409 that names
    /// neither the tenant nor anything about the vehicle (docs/security.md, "Tenant isolation").
    /// </summary>
    GlobalIdentity,

    /// <summary>Operators run the platform for every tenant (docs/security.md): tenant B's operator succeeds.</summary>
    PlatformWide,

    /// <summary>The route reads no tenant data (the caller's own identity): both succeed with their own view.</summary>
    TenantFree,
}

/// <summary>
/// How to call one route as tenant A (must succeed) and as tenant B (must find nothing of A's).
/// <paramref name="Marker"/> is text that tenant A's answer holds and tenant B's must not.
/// </summary>
public sealed record IsolationCase(string Role, Isolation Kind, Func<IsolationWorld, Side, Task<HttpRequestMessage>> Request, Func<IsolationWorld, string>? Marker = null);

/// <summary>
/// The fixture registry: one entry per protected route, keyed "METHOD /pattern" exactly as the endpoint
/// metadata names it. A route without an entry fails <see cref="TenantIsolationTests.EveryProtectedRoute_HasAnIsolationCase"/>,
/// so a new route cannot skip isolation. To add a route: pick the role that owns the object, the kind, and a
/// request that names tenant A's object (see docs/security.md, "Tenant isolation").
/// </summary>
public static class IsolationCases
{
    /// <summary>The two paths the Durable management API is mapped on, with the same handlers and rules: each gets every case.</summary>
    private static readonly string[] DurablePrefixes = ["/runtime/webhooks/durabletask", "/api/workflows"];

    public static IReadOnlyDictionary<string, IsolationCase> All { get; } = With(WorkshopIsolationCases.All().Concat(ShowroomIsolationCases.All()).Concat(ShowroomLeadIsolationCases.All()).Concat(ShowroomTestDriveIsolationCases.All()).Concat(DurablePrefixes.SelectMany(DurableManagement)), new Dictionary<string, IsolationCase>(StringComparer.Ordinal)
    {
        // Identity and audit
        ["GET /api/me"] = new("dealer-staff", Isolation.TenantFree, (w, s) => w.RequestAsync(HttpMethod.Get, "/api/me", "dealer-staff", s), _ => IsolationWorld.TenantA),
        // The marker is a path the fixture itself wrote for tenant A only: an order's own path is audited only
        // when another case happens to run first, and cases run in no fixed order.
        ["GET /api/admin/audit/records"] = new("admin", Isolation.Collection, (w, s) => w.RequestAsync(HttpMethod.Get, "/api/admin/audit/records?take=1000", "admin", s), _ => $"/api/models/iso-model/features/{IsolationWorld.SeededFeature}"),
        // Each tenant's chain is verified alone; AuditLedgerTamperTests shows a broken link in one tenant is not reported to another.
        ["GET /api/admin/audit/verify"] = new("admin", Isolation.Collection, (w, s) => w.RequestAsync(HttpMethod.Get, "/api/admin/audit/verify", "admin", s)),
        // Operator tasks are listed within the caller's tenant only (tests/ServerlessMobility.RentToOwn.Tests opens one and checks another tenant's operator sees none).
        ["GET /api/operator-tasks"] = new("operator", Isolation.Collection, (w, s) => w.RequestAsync(HttpMethod.Get, "/api/operator-tasks", "operator", s)),

        // Showroom: a financing quote is arithmetic over the request and reads or stores nothing of any tenant, so both
        // tenants get the same answer and there is no marker of A's to miss in B's.
        ["POST /api/showroom/financing-quotes"] = new("dealer-staff", Isolation.TenantFree, (w, s) => w.RequestAsync(HttpMethod.Post, "/api/showroom/financing-quotes", "dealer-staff", s,
            new { vehiclePrice = 10000m, currency = "EUR", country = "DE", offers = new[] { new { deposit = 0m, balloon = 0m, termMonths = 36, annualRate = 0.05m } } })),

        // Documents: a link is asked for by document id, which names tenant A's document only in tenant A.
        ["POST /api/documents/{documentId}/links"] = new("dealer-staff", Isolation.NamedObject,
            (w, s) => w.RequestAsync(HttpMethod.Post, $"/api/documents/{IsolationWorld.DocumentId}/links", "dealer-staff", s)),

        // Car-as-a-Service
        ["POST /api/orders"] = new("dealer-staff", Isolation.Reference, (w, s) => w.RequestAsync(HttpMethod.Post, "/api/orders", "dealer-staff", s,
            new { orderId = w.NextId("iso-order"), customerId = w.CarCustomer, modelId = "iso-model", country = "ES" })),
        ["GET /api/orders"] = new("dealer-staff", Isolation.Collection, (w, s) => w.RequestAsync(HttpMethod.Get, "/api/orders", "dealer-staff", s), _ => IsolationWorld.OrderId),
        ["GET /api/orders/{id}"] = new("dealer-staff", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/orders/{IsolationWorld.OrderId}", "dealer-staff", s)),
        ["PUT /api/orders/{id}/delivery-appointment"] = new("dealer-staff", Isolation.NamedObject, RescheduleAsync),
        ["GET /api/customers/{id}/purchase-record"] = new("dealer-staff", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/customers/{w.CarCustomer}/purchase-record", "dealer-staff", s)),

        // Rent-to-own
        ["POST /api/customers"] = new("agent", Isolation.Separate, OnboardAsync, _ => "\"kycStatus\":\"Pending\""),
        ["POST /api/customers/search"] = new("agent", Isolation.Collection, (w, s) => w.RequestAsync(HttpMethod.Post, "/api/customers/search", "agent", s, new { phone = "+254711000111" }), _ => IsolationWorld.RtoCustomer),
        ["GET /api/customers/{id}"] = new("agent", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/customers/{IsolationWorld.RtoCustomer}", "agent", s)),
        ["POST /api/customers/{id}/kyc/document"] = new("customer", Isolation.NamedObject, async (w, s) =>
        {
            var id = s == Side.Own ? await w.OnboardFreshCustomerAsync(withDocument: false) : IsolationWorld.RtoCustomer;
            return IsolationWorld.KycDocument(id, await w.TokenAsync("customer", s, id));
        }),
        ["POST /api/customers/{id}/kyc/review"] = new("agent", Isolation.NamedObject, async (w, s) =>
        {
            var id = s == Side.Own ? await w.OnboardFreshCustomerAsync(withDocument: true) : IsolationWorld.RtoCustomer;
            return await w.RequestAsync(HttpMethod.Post, $"/api/customers/{id}/kyc/review", "agent", s, new { approve = true, reason = "Matches." });
        }),
        ["POST /api/credit/assessments"] = new("agent", Isolation.Reference, (w, s) => w.RequestAsync(HttpMethod.Post, "/api/credit/assessments", "agent", s, IsolationWorld.Credit(IsolationWorld.RtoCustomer))),
        ["GET /api/listings"] = new("agent", Isolation.Collection, (w, s) => w.RequestAsync(HttpMethod.Get, "/api/listings", "agent", s), w => w.ListingId),
        ["POST /api/listings"] = new("agent", Isolation.Separate, ListingAsync, w => w.ListingId),
        ["GET /api/listings/{id}"] = new("agent", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/listings/{w.ListingId}", "agent", s)),
        ["POST /api/listings/{id}/reservations"] = new("customer", Isolation.NamedObject, ReserveAsync),
        ["POST /api/plans"] = new("agent", Isolation.Reference, (w, s) => w.RequestAsync(HttpMethod.Post, "/api/plans", "agent", s, IsolationWorld.Plan(IsolationWorld.RtoCustomer, IsolationWorld.Vin))),
        ["GET /api/plans/{id}"] = new("agent", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/plans/{w.PlanId}", "agent", s)),
        ["GET /api/plans/{id}/statement"] = new("agent", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/plans/{w.PlanId}/statement", "agent", s)),
        ["POST /api/plans/{id}/statement-documents"] = new("agent", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Post, $"/api/plans/{w.PlanId}/statement-documents", "agent", s)),
        ["POST /api/plans/{id}/payments"] = new("agent", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Post, $"/api/plans/{w.PlanId}/payments", "agent", s, new { providerReference = w.NextId("iso-pay"), amount = 10m })),
        ["POST /api/plans/{id}/immobilization"] = new("operator", Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/plans/{await w.ImmobilizedPlanAsync()}/immobilization", "operator", s, new { reason = "Isolation check of the immobilization." })),

        // Service contracts: products and quotes belong to the dealership, a contract is read by its customer and the dealership's staff.
        ["POST /api/service-contract-products"] = new("dealer-admin", Isolation.Separate, (w, s) => w.RequestAsync(HttpMethod.Post, "/api/service-contract-products", "dealer-admin", s, IsolationWorld.ContractProduct()), w => w.ContractProductId),
        ["GET /api/service-contract-products/{id}"] = new("dealer-staff", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/service-contract-products/{w.ContractProductId}", "dealer-staff", s)),
        ["POST /api/service-contract-products/{id}/versions"] = new("dealer-admin", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Post, $"/api/service-contract-products/{w.ContractProductId}/versions", "dealer-admin", s, new { terms = IsolationWorld.ContractTerms() })),
        ["POST /api/service-contract-quotes"] = new("dealer-staff", Isolation.Reference, (w, s) => w.RequestAsync(HttpMethod.Post, "/api/service-contract-quotes", "dealer-staff", s, IsolationWorld.ContractQuote(w.ContractProductId))),
        ["GET /api/service-contract-quotes/{id}"] = new("dealer-staff", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/service-contract-quotes/{w.ContractQuoteId}", "dealer-staff", s)),
        ["POST /api/service-contract-quotes/{id}/acceptance"] = new("customer", Isolation.NamedObject, async (w, s) =>
        {
            // Accepting consumes the quote: tenant A accepts a fresh one; tenant B's same subject names A's open quote.
            var (id, hash) = s == Side.Own ? await w.FreshContractQuoteAsync() : (w.ContractQuoteId, new string('0', 64));
            return await w.RequestAsync(HttpMethod.Post, $"/api/service-contract-quotes/{id}/acceptance", "customer", s, new { name = "Iso Customer", documentHash = hash }, IsolationWorld.ContractCustomer);
        }),
        // Ranks the caller's dealership's products only: tenant A's product never appears for tenant B.
        ["GET /api/service-contract-recommendations"] = new("dealer-staff", Isolation.Collection, (w, s) => w.RequestAsync(HttpMethod.Get,
            "/api/service-contract-recommendations?vin=WSMV0PENAP1000017&jurisdiction=DE&model=Hatchback&firstRegistered=2020-01-01&odometerKm=30000", "dealer-staff", s), w => w.ContractProductId),
        ["GET /api/service-contracts/{id}"] = new("dealer-staff", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/service-contracts/{w.ServiceContractId}", "dealer-staff", s)),
        ["GET /api/service-contracts/{id}/verification"] = new("dealer-staff", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/service-contracts/{w.ServiceContractId}/verification", "dealer-staff", s)),
        ["GET /api/service-contracts/{id}/receipt-verification"] = new("dealer-staff", Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Get, $"/api/service-contracts/{w.ServiceContractId}/receipt-verification?sequence=1&hash={new string('0', 64)}", "dealer-staff", s)),
        ["POST /api/service-contracts/{id}/renewal-consent"] = new("customer", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Post, $"/api/service-contracts/{w.ServiceContractId}/renewal-consent", "customer", s, new { given = true }, IsolationWorld.ContractCustomer)),
        ["POST /api/service-contracts/{id}/renewal"] = new("customer", Isolation.NamedObject, async (w, s) =>
        {
            // The seeded product's term is one month, so a fresh contract is inside its renewal window at once.
            var id = s == Side.Own ? await w.FreshServiceContractAsync() : w.ServiceContractId;
            return await w.RequestAsync(HttpMethod.Post, $"/api/service-contracts/{id}/renewal", "customer", s, new { odometerKm = 1_500 }, IsolationWorld.ContractCustomer);
        }),
        ["POST /api/service-contracts/{id}/claims"] = new("workshop-staff", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Post, $"/api/service-contracts/{w.ServiceContractId}/claims", "workshop-staff", s,
            new { coverageItem = "engine", amount = 300m, odometerKm = 1_300, description = "Iso repair", workshopJobId = w.NextId("iso-job") })),
        // Reports read the caller's tenant only; ServiceContractReportTests checks tenant B's report counts none of A's contracts.
        ["GET /api/service-contract-reports/monthly"] = new("dealer-staff", Isolation.Collection, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/service-contract-reports/monthly?{IsolationWorld.ThisMonthReport()}", "dealer-staff", s)),
        ["GET /api/service-contract-reports/monthly.xlsx"] = new("dealer-admin", Isolation.Collection, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/service-contract-reports/monthly.xlsx?{IsolationWorld.ThisMonthReport()}", "dealer-admin", s)),
        // An import names the tenant's product: tenant B's copy of A's file imports nothing (the product is not B's) and shows none of A's contracts.
        ["POST /api/service-contract-imports"] = new("dealer-admin", Isolation.Separate, (w, s) => w.RequestAsync(HttpMethod.Post, "/api/service-contract-imports", "dealer-admin", s,
            new[] { IsolationWorld.ContractImportRecord(w.NextId("iso-import"), w.ContractProductId) }), _ => "\"status\":\"imported\""),
        ["POST /api/service-contracts/{id}/cancellation"] = new("dealer-staff", Isolation.NamedObject, async (w, s) =>
        {
            // A contract is cancelled once: tenant A cancels a fresh one.
            var id = s == Side.Own ? await w.FreshServiceContractAsync() : w.ServiceContractId;
            return await w.RequestAsync(HttpMethod.Post, $"/api/service-contracts/{id}/cancellation", "dealer-staff", s, new { reason = "Iso cancellation" });
        }),

        // Vehicles and telemetry
        ["POST /api/vehicles"] = new("dealer-staff", Isolation.GlobalIdentity, RegisterVehicleAsync, _ => IsolationWorld.TenantA),
        ["GET /api/vehicles"] = new("dealer-staff", Isolation.Collection, (w, s) => w.RequestAsync(HttpMethod.Get, "/api/vehicles?take=200", "dealer-staff", s), _ => IsolationWorld.Vin),
        ["GET /api/vehicles/{vin}/state"] = new("dealer-staff", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/vehicles/{IsolationWorld.Vin}/state", "dealer-staff", s)),
        ["GET /api/vehicles/{vin}/trips"] = new("dealer-staff", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/vehicles/{IsolationWorld.Vin}/trips", "dealer-staff", s)),
        ["GET /api/vehicles/{vin}/risk-events"] = new("dealer-staff", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/vehicles/{IsolationWorld.Vin}/risk-events", "dealer-staff", s)),
        ["GET /api/vehicles/{vin}/stream"] = new("customer", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/vehicles/{IsolationWorld.Vin}/stream", "customer", s, subject: IsolationWorld.VehicleOwner)),
        ["GET /api/vehicles/{vin}/geofences"] = new("customer", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/vehicles/{IsolationWorld.Vin}/geofences", "customer", s, subject: IsolationWorld.VehicleOwner)),
        ["PUT /api/vehicles/{vin}/geofences/{geofenceId}"] = new("dealer-staff", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Put, $"/api/vehicles/{IsolationWorld.Vin}/geofences/{IsolationWorld.Geofence}", "dealer-staff", s, IsolationWorld.Zone())),
        ["DELETE /api/vehicles/{vin}/geofences/{geofenceId}"] = new("dealer-staff", Isolation.NamedObject, DeleteGeofenceAsync),

        // Over-the-air features: the catalog belongs to the dealership, purchases to the vehicle's owner.
        ["PUT /api/models/{modelId}/features/{code}"] = new("dealer-admin", Isolation.Separate, (w, s) => w.RequestAsync(HttpMethod.Put, "/api/models/iso-model/features/iso-shared", "dealer-admin", s, IsolationWorld.Feature($"Iso feature {s}")), _ => $"Iso feature {Side.Own}"),
        ["GET /api/models/{modelId}/features"] = new("dealer-staff", Isolation.Collection, (w, s) => w.RequestAsync(HttpMethod.Get, "/api/models/iso-model/features", "dealer-staff", s), _ => IsolationWorld.SeededFeature),
        ["GET /api/vehicles/{vin}/features"] = new("customer", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/vehicles/{IsolationWorld.Vin}/features", "customer", s, subject: IsolationWorld.VehicleOwner)),
        ["GET /api/vehicles/{vin}/features/subscriptions"] = new("customer", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/vehicles/{IsolationWorld.Vin}/features/subscriptions", "customer", s, subject: IsolationWorld.VehicleOwner)),
        ["POST /api/vehicles/{vin}/features/{code}/purchase"] = new("customer", Isolation.NamedObject, PurchaseFeatureAsync),
        ["POST /api/vehicles/{vin}/features/{code}/cancel"] = new("customer", Isolation.NamedObject, CancelFeatureAsync),
        ["POST /api/customers/{customerId}/feature-invoices/{invoiceId}/settlement"] = new("dealer-admin", Isolation.NamedObject, SettleFeatureInvoiceAsync),

        // Development-only partner simulator control: every tenant scripts, switches and reads its own simulation.
        ["GET /api/dev/simulators"] = new("operator", Isolation.Collection, ScriptedSimulatorsAsync, _ => "iso-scripted-order"),
        ["GET /api/dev/simulators/{simulator}/activity"] = new("operator", Isolation.Collection, (w, s) => w.RequestAsync(HttpMethod.Get, "/api/dev/simulators/payment-provider/activity", "operator", s)),
        ["PUT /api/dev/simulators/{simulator}/scripts/{subject}"] = new("operator", Isolation.Separate, (w, s) => w.RequestAsync(HttpMethod.Put, $"/api/dev/simulators/factory/scripts/{w.NextId("iso-scripted")}", "operator", s, ScriptedRejection)),
        ["DELETE /api/dev/simulators/{simulator}/scripts/{subject}"] = new("operator", Isolation.Separate, (w, s) => w.RequestAsync(HttpMethod.Delete, $"/api/dev/simulators/factory/scripts/{w.NextId("iso-unscripted")}", "operator", s)),
        // "default" keeps tenant A's configured mode, so the seeded order's flow is untouched.
        ["PUT /api/dev/simulators/{simulator}/mode"] = new("operator", Isolation.Separate, (w, s) => w.RequestAsync(HttpMethod.Put, "/api/dev/simulators/payment-provider/mode", "operator", s, new { mode = "default" })),

        // The status a workflow's starter hands out; the management API's cases, at both its paths, are in DurableManagement.
        ["GET /api/workflows/{instanceId}"] = new("dealer-staff", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"/api/workflows/{Uri.EscapeDataString(IsolationWorld.OrderInstanceId)}", "dealer-staff", s)),
    });

    /// <summary>Durable management under one prefix: tenant staff read their own tenant's instances; operators work across tenants.</summary>
    private static Dictionary<string, IsolationCase> DurableManagement(string prefix) => new(StringComparer.Ordinal)
    {
        [$"GET {prefix}/instances/{{instanceId}}"] = new("dealer-staff", Isolation.NamedObject, (w, s) => w.RequestAsync(HttpMethod.Get, $"{prefix}/instances/{Uri.EscapeDataString(IsolationWorld.OrderInstanceId)}", "dealer-staff", s)),
        [$"GET {prefix}/instances"] = new("dealer-staff", Isolation.Collection, (w, s) => w.RequestAsync(HttpMethod.Get, $"{prefix}/instances?instanceIdPrefix=order:iso", "dealer-staff", s), _ => IsolationWorld.OrderInstanceId),
        [$"POST {prefix}/orchestrators/{{name}}/{{instanceId?}}"] = new("operator", Isolation.PlatformWide, (w, s) => w.RequestAsync(HttpMethod.Post, $"{prefix}/orchestrators/Diagnostics.Sequence/{w.NextId("iso-start")}", "operator", s, new { activities = 0, timerSeconds = 0, recordSideEffects = false })),
        [$"POST {prefix}/instances/{{instanceId}}/raiseEvent/{{eventName}}"] = new("operator", Isolation.PlatformWide, async (w, s) => await w.RequestAsync(HttpMethod.Post, $"{prefix}/instances/{await w.StartWaitingInstanceAsync(prefix)}/raiseEvent/Ping", "operator", s, new { ping = 1 })),
        [$"POST {prefix}/instances/{{instanceId}}/terminate"] = new("operator", Isolation.PlatformWide, async (w, s) => await w.RequestAsync(HttpMethod.Post, $"{prefix}/instances/{await w.StartWaitingInstanceAsync(prefix)}/terminate", "operator", s)),
        [$"POST {prefix}/instances/{{instanceId}}/suspend"] = new("operator", Isolation.PlatformWide, async (w, s) => await w.RequestAsync(HttpMethod.Post, $"{prefix}/instances/{await w.StartWaitingInstanceAsync(prefix)}/suspend", "operator", s)),
        [$"POST {prefix}/instances/{{instanceId}}/resume"] = new("operator", Isolation.PlatformWide, async (w, s) => await w.RequestAsync(HttpMethod.Post, $"{prefix}/instances/{await w.StartWaitingInstanceAsync(prefix)}/resume", "operator", s)),
        [$"DELETE {prefix}/instances/{{instanceId}}"] = new("operator", Isolation.PlatformWide, async (w, s) => await w.RequestAsync(HttpMethod.Delete, $"{prefix}/instances/{await w.StartEndedInstanceAsync(prefix)}", "operator", s)),
        [$"DELETE {prefix}/instances"] = new("operator", Isolation.PlatformWide, async (w, s) =>
        {
            var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O"));
            await w.StartEndedInstanceAsync(prefix);
            return await w.RequestAsync(HttpMethod.Delete, $"{prefix}/instances?createdTimeFrom={from}&runtimeStatus=Terminated", "operator", s);
        }),
    };

    /// <summary>Product lines whose cases live in their own file (the workshop's need fresh objects driven through its lifecycle).</summary>
    private static Dictionary<string, IsolationCase> With(IEnumerable<KeyValuePair<string, IsolationCase>> more, Dictionary<string, IsolationCase> cases)
    {
        foreach (var (route, @case) in more)
        {
            cases.Add(route, @case);
        }

        return cases;
    }

    private static readonly object ScriptedRejection = new { outcomes = new[] { new { outcome = "reject", stage = "order", code = "iso" } } };

    /// <summary>Tenant A scripts the factory for an order nobody places; tenant B's list must not show it.</summary>
    private static async Task<HttpRequestMessage> ScriptedSimulatorsAsync(IsolationWorld world, Side side)
    {
        if (side == Side.Own)
        {
            using var scripted = await world.SendAsync(await world.RequestAsync(HttpMethod.Put, "/api/dev/simulators/factory/scripts/iso-scripted-order", "operator", Side.Own, ScriptedRejection));
            scripted.EnsureSuccessStatusCode();
        }

        return await world.RequestAsync(HttpMethod.Get, "/api/dev/simulators", "operator", side);
    }

    /// <summary>
    /// Tenant A onboards a new customer; tenant B onboards a customer under tenant A's customer id and gets its
    /// own, separate customer (the answer must not hold tenant A's document number).
    /// </summary>
    private static Task<HttpRequestMessage> OnboardAsync(IsolationWorld world, Side side)
    {
        var id = side == Side.Own ? world.NextId("iso-onboard") : IsolationWorld.TwinCustomer;
        var digits = Digits(id).PadLeft(6, '0');
        return world.RequestAsync(HttpMethod.Post, "/api/customers", "agent", side, new { customerId = id, phone = "+25473" + digits, documentType = "national-id", documentNumber = (side == Side.Own ? "ISO123456" : "OTHER") + digits });
    }

    private static Task<HttpRequestMessage> ListingAsync(IsolationWorld world, Side side) =>
        world.RequestAsync(HttpMethod.Post, "/api/listings", "agent", side, IsolationWorld.Listing());

    private static async Task<HttpRequestMessage> ReserveAsync(IsolationWorld world, Side side)
    {
        // Each own call reserves a fresh listing, so the reservation itself is not what is refused.
        if (side == Side.Own)
        {
            using var created = await world.SendAsync(await ListingAsync(world, Side.Own));
            var id = (await JsonDocument.ParseAsync(await created.Content.ReadAsStreamAsync())).RootElement.GetProperty("id").GetString();
            return await world.RequestAsync(HttpMethod.Post, $"/api/listings/{id}/reservations", "customer", side, subject: "iso-reserver");
        }

        return await world.RequestAsync(HttpMethod.Post, $"/api/listings/{world.ListingId}/reservations", "customer", side, subject: "iso-reserver");
    }

    private static Task<HttpRequestMessage> RegisterVehicleAsync(IsolationWorld world, Side side)
    {
        // Tenant A registers a new vehicle; tenant B tries to take over tenant A's (409, documented in docs/security.md).
        var vin = side == Side.Own ? "WSMB" + Digits(world.NextId("vin")).PadLeft(13, '0') : IsolationWorld.Vin;
        return world.RequestAsync(HttpMethod.Post, "/api/vehicles", "dealer-staff", side, new { vin, model = "iso-model" });
    }

    private static async Task<HttpRequestMessage> DeleteGeofenceAsync(IsolationWorld world, Side side)
    {
        var id = world.NextId("iso-zone");
        using var created = await world.SendAsync(await world.RequestAsync(HttpMethod.Put, $"/api/vehicles/{IsolationWorld.Vin}/geofences/{id}", "dealer-staff", Side.Own, IsolationWorld.Zone()));
        created.EnsureSuccessStatusCode();
        return await world.RequestAsync(HttpMethod.Delete, $"/api/vehicles/{IsolationWorld.Vin}/geofences/{id}", "dealer-staff", side);
    }

    /// <summary>A feature of its own for every call, so a repeated purchase by tenant A is never a duplicate (409).</summary>
    private static async Task<string> NewFeatureAsync(IsolationWorld world)
    {
        var code = world.NextId("iso-feature");
        using var created = await world.SendAsync(await world.RequestAsync(HttpMethod.Put, $"/api/models/iso-model/features/{code}", "dealer-admin", Side.Own, IsolationWorld.Feature(code)));
        created.EnsureSuccessStatusCode();
        return code;
    }

    private static async Task<HttpRequestMessage> PurchaseFeatureAsync(IsolationWorld world, Side side) =>
        await world.RequestAsync(HttpMethod.Post, $"/api/vehicles/{IsolationWorld.Vin}/features/{await NewFeatureAsync(world)}/purchase", "customer", side,
            new { duration = "OneMonth", country = "ES" }, subject: IsolationWorld.VehicleOwner);

    /// <summary>A declined feature invoice of tenant A's customer, a fresh one per call; tenant B's admin asks to settle it.</summary>
    private static async Task<HttpRequestMessage> SettleFeatureInvoiceAsync(IsolationWorld world, Side side)
    {
        var month = FeatureBilling.MonthStart(DateTimeOffset.UtcNow).AddMonths(-world.NextNumber());
        var zero = new Money(0, "EUR");
        var invoice = new FeatureInvoice
        {
            Id = FeatureInvoice.IdFor(IsolationWorld.VehicleOwner, month, "EUR"),
            TenantId = IsolationWorld.TenantA,
            CustomerId = IsolationWorld.VehicleOwner,
            PeriodStart = month,
            PeriodEnd = month.AddMonths(1),
            Currency = "EUR",
            Lines = [],
            Net = zero,
            Vat = zero,
            Gross = zero,
            Status = FeatureInvoiceStatus.PaymentFailed,
            IssuedAt = month.AddMonths(1),
            CollectionAttempts = 1,
            FailureCode = "card-declined",
        };
        await world.Services.GetRequiredService<ITenantRepository<FeatureInvoice>>().CreateAsync(IsolationWorld.TenantA, invoice.Id, invoice);
        return await world.RequestAsync(HttpMethod.Post, $"/api/customers/{IsolationWorld.VehicleOwner}/feature-invoices/{invoice.Id}/settlement", "dealer-admin", side,
            new { reference = "bank transfer " + invoice.Id });
    }

    /// <summary>Tenant A's owner holds an active subscription (written as the activation workflow leaves it); tenant B asks to cancel it.</summary>
    private static async Task<HttpRequestMessage> CancelFeatureAsync(IsolationWorld world, Side side)
    {
        var code = await NewFeatureAsync(world);
        var feature = (await world.Services.GetRequiredService<ITenantRepository<FeatureDefinition>>().GetAsync(IsolationWorld.TenantA, FeatureDefinition.IdFor("iso-model", code)))!.Value;
        var now = DateTimeOffset.UtcNow;
        var subscription = FeatureSubscription.Request(world.NextId("iso-subscription"), IsolationWorld.VehicleOwner, IsolationWorld.Vin, feature, FeatureDuration.OneMonth, "ES", now)
            .MoveTo(FeatureSubscriptionState.Activating, now).MoveTo(FeatureSubscriptionState.Active, now);
        await world.Services.GetRequiredService<ITenantRepository<FeatureSubscription>>().CreateAsync(IsolationWorld.TenantA, subscription.Id, subscription);
        await world.Services.GetRequiredService<ITenantRepository<FeatureSlot>>().CreateAsync(IsolationWorld.TenantA, FeatureSlot.IdFor(IsolationWorld.Vin, code),
            new FeatureSlot(FeatureSlot.IdFor(IsolationWorld.Vin, code), IsolationWorld.TenantA, subscription.Id));
        // A waiting instance under the subscription's instance id stands in for the activation workflow waiting for the end.
        await world.Services.GetRequiredService<DurableTaskClient>().ScheduleNewOrchestrationInstanceAsync(DiagnosticWorkflows.Sequence, new SequenceInput(2, 3600, false),
            new StartOrchestrationOptions(subscription.InstanceId));
        return await world.RequestAsync(HttpMethod.Post, $"/api/vehicles/{IsolationWorld.Vin}/features/{code}/cancel", "customer", side, subject: IsolationWorld.VehicleOwner);
    }

    private static async Task<HttpRequestMessage> RescheduleAsync(IsolationWorld world, Side side)
    {
        // The route needs the order's ETag; tenant B sends tenant A's current one, so only the tenant differs.
        using var order = await world.SendAsync(await world.RequestAsync(HttpMethod.Get, $"/api/orders/{IsolationWorld.OrderId}", "dealer-staff", Side.Own));
        var request = await world.RequestAsync(HttpMethod.Put, $"/api/orders/{IsolationWorld.OrderId}/delivery-appointment", "dealer-staff", side,
            new { appointment = DateTimeOffset.UtcNow.AddDays(10) });
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(order.Headers.ETag!.ToString()));
        return request;
    }

    private static string Digits(string text) => new([.. text.Where(char.IsAsciiDigit)]);
}
