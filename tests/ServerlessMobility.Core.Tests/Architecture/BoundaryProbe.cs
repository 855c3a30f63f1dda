using ServerlessMobility.RentToOwn.Plans;

// Deliberately in Car-as-a-Service's namespace, inside the test assembly only: ModuleBoundaryTests shows the
// module rule failing on it. It is never loaded with the production assemblies.
namespace ServerlessMobility.CarAsAService.BoundaryProbe;

internal static class ReachesIntoRentToOwn
{
    public static decimal OutstandingOf(PaymentPlan plan) => plan?.Terms.VehiclePrice ?? 0m;
}
