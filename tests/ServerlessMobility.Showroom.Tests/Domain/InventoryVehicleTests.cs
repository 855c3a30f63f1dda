using ServerlessMobility.Platform.Http;
using ServerlessMobility.Showroom.Inventory;
using ServerlessMobility.Showroom.Search;

namespace ServerlessMobility.Showroom.Tests.Domain;

public sealed class InventoryVehicleTests
{
    private static readonly DateTimeOffset At = new(2099, 1, 5, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<VehicleStatus, VehicleStatus, bool> Moves()
    {
        var allowed = new HashSet<(VehicleStatus, VehicleStatus)>
        {
            (VehicleStatus.Available, VehicleStatus.Reserved),
            (VehicleStatus.Available, VehicleStatus.Sold),
            (VehicleStatus.Available, VehicleStatus.Demo),
            (VehicleStatus.Reserved, VehicleStatus.Available),
            (VehicleStatus.Reserved, VehicleStatus.Sold),
            (VehicleStatus.Demo, VehicleStatus.Available),
            (VehicleStatus.Demo, VehicleStatus.Sold),
        };
        var data = new TheoryData<VehicleStatus, VehicleStatus, bool>();
        foreach (var from in Enum.GetValues<VehicleStatus>())
        {
            foreach (var to in Enum.GetValues<VehicleStatus>().Where(to => to != from))
            {
                data.Add(from, to, allowed.Contains((from, to)));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Moves))]
    public void MoveTo_FollowsTheLifecycle(VehicleStatus from, VehicleStatus to, bool allowed)
    {
        var vehicle = VehicleIn(from);
        var version = vehicle.Version;

        if (allowed)
        {
            Assert.True(vehicle.MoveTo(to, "staff-1", At.AddHours(1), to == VehicleStatus.Reserved ? "lead-2" : null));
            Assert.Equal(to, vehicle.Status);
            Assert.Equal(version + 1, vehicle.Version);
            Assert.Equal(new VehicleStatusChange(from, to, At.AddHours(1), "staff-1", to == VehicleStatus.Reserved ? "lead-2" : null), vehicle.History[^1]);
        }
        else
        {
            Assert.Throws<ConflictException>(() => vehicle.MoveTo(to, "staff-1", At.AddHours(1), to == VehicleStatus.Reserved ? "lead-2" : null));
            Assert.Equal(from, vehicle.Status);
            Assert.Equal(version, vehicle.Version);
        }
    }

    [Fact]
    public void Reservation_RecordsItsHolder_IsIdempotentForIt_AndRefusesAnother()
    {
        var vehicle = VehicleIn(VehicleStatus.Available);

        Assert.True(vehicle.MoveTo(VehicleStatus.Reserved, "staff-1", At, leadId: "lead-1"));
        Assert.Equal(new VehicleReservation("lead-1", null, "staff-1", At), vehicle.Reservation);

        // The same lead again (a retried conversion) changes nothing; another lead or a sale is refused, naming the holder.
        Assert.False(vehicle.MoveTo(VehicleStatus.Reserved, "staff-1", At.AddMinutes(5), leadId: "lead-1"));
        Assert.Equal(At, vehicle.Reservation!.ReservedAt);
        var other = Assert.Throws<ConflictException>(() => vehicle.MoveTo(VehicleStatus.Reserved, "staff-2", At, leadId: "lead-2"));
        Assert.Contains("lead 'lead-1'", other.Message, StringComparison.Ordinal);
        Assert.Throws<ConflictException>(() => vehicle.MoveTo(VehicleStatus.Reserved, "staff-2", At, saleId: "sale-9"));

        // Released: back on sale without a holder.
        Assert.True(vehicle.MoveTo(VehicleStatus.Available, "staff-1", At.AddDays(1)));
        Assert.Null(vehicle.Reservation);
    }

    [Fact]
    public void Reserving_NeedsExactlyOneHolder_AndOnlyReservationsAndSalesNameOne()
    {
        var vehicle = VehicleIn(VehicleStatus.Available);

        Assert.Throws<RequestValidationException>(() => vehicle.MoveTo(VehicleStatus.Reserved, "staff-1", At));
        Assert.Throws<RequestValidationException>(() => vehicle.MoveTo(VehicleStatus.Reserved, "staff-1", At, "lead-1", "sale-1"));
        Assert.Throws<RequestValidationException>(() => vehicle.MoveTo(VehicleStatus.Demo, "staff-1", At, leadId: "lead-1"));
        Assert.Equal(VehicleStatus.Available, vehicle.Status);
    }

    [Fact]
    public void Sold_IsFinal_ForStatusDetailsAndPhotos()
    {
        var vehicle = VehicleIn(VehicleStatus.Available);
        vehicle.MoveTo(VehicleStatus.Sold, "staff-1", At, saleId: "sale-1");

        foreach (var to in Enum.GetValues<VehicleStatus>())
        {
            Assert.Throws<ConflictException>(() => vehicle.MoveTo(to, "staff-1", At, to == VehicleStatus.Reserved ? "lead-1" : null));
        }

        Assert.Throws<ConflictException>(() => vehicle.Revise(vehicle.Specs with { Price = 1m }, At));
        Assert.Throws<ConflictException>(() => vehicle.AddPhoto(new VehiclePhoto("p1", "a.jpg", "image/jpeg", At, "staff-1"), At));
        Assert.Equal(VehicleStatus.Sold, vehicle.Status);
    }

    [Fact]
    public void Photos_AreLimited()
    {
        var vehicle = VehicleIn(VehicleStatus.Available);
        for (var i = 0; i < InventoryVehicle.MaxPhotos; i++)
        {
            vehicle.AddPhoto(new VehiclePhoto($"p{i}", "a.jpg", "image/jpeg", At, "staff-1"), At);
        }

        var refused = Assert.Throws<BusinessRuleException>(() => vehicle.AddPhoto(new VehiclePhoto("p-last", "a.jpg", "image/jpeg", At, "staff-1"), At));
        Assert.Equal("showroom-photo-limit", refused.Rule);
    }

    [Theory]
    [InlineData(0.01, "under-10000")]
    [InlineData(9_999.99, "under-10000")]
    [InlineData(10_000, "10000-20000")]
    [InlineData(29_999.99, "20000-30000")]
    [InlineData(30_000, "30000-50000")]
    [InlineData(74_999, "50000-75000")]
    [InlineData(99_999.99, "75000-100000")]
    [InlineData(100_000, "100000-and-over")]
    [InlineData(2_500_000, "100000-and-over")]
    public void PriceBand_IncludesItsLowerBoundOnly(decimal price, string band) => Assert.Equal(band, PriceBands.Of(price));

    [Fact]
    public void PriceBands_AreListedCheapestFirst()
    {
        Assert.Equal(["under-10000", "10000-20000", "20000-30000", "30000-50000", "50000-75000", "75000-100000", "100000-and-over"], PriceBands.All);
        Assert.True(PriceBands.Order("under-10000") < PriceBands.Order("100000-and-over"));
    }

    [Fact]
    public void Distance_IsTheGreatCircle()
    {
        // Munich (Marienplatz) to Berlin (Brandenburg Gate): 504 km as the crow flies.
        var munich = new GeoPoint(48.1374, 11.5755);
        var berlin = new GeoPoint(52.5163, 13.3777);

        Assert.InRange(munich.DistanceKmTo(berlin), 503, 506);
        Assert.Equal(0, munich.DistanceKmTo(munich), 6);
    }

    private static InventoryVehicle VehicleIn(VehicleStatus status)
    {
        var vehicle = new InventoryVehicle
        {
            Id = "WSMSR000000000001", TenantId = "dealer-1", AddedAt = At, UpdatedAt = At, Version = 1, Status = VehicleStatus.Available,
            Specs = new VehicleSpecs("BMW", "320i", 2024, "M Sport", FuelType.Petrol, "Blue", 10, 42_500m, "EUR", new GeoPoint(48.1, 11.5), null),
        };
        if (status != VehicleStatus.Available)
        {
            vehicle.MoveTo(status, "setup", At.AddMinutes(-1), status == VehicleStatus.Reserved ? "lead-1" : null);
        }

        return vehicle;
    }
}
