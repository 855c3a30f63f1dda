using ServerlessMobility.CarAsAService.Vehicles;
using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.CarAsAService.Tests.Domain;

public sealed class VehicleTests
{
    private static Vehicle Stock() => new() { Vin = "VIN1", TenantId = "t1", ModelId = "aurora-s", Status = StockStatus.Unassigned };

    [Fact]
    public void AssignThenRegister_ReservedForOrder_EndsRegisteredWithPlate()
    {
        var vehicle = Stock().ReserveFor("o-1").AssignTo("c-1", "o-1").Register("ES-1234");

        Assert.Equal(StockStatus.Registered, vehicle.Status);
        Assert.Equal("ES-1234", vehicle.PlateNumber);
        Assert.Equal("c-1", vehicle.CustomerId);
    }

    [Fact]
    public void AssignTo_ReservedForAnotherOrder_BreaksRule()
    {
        Assert.Throws<BusinessRuleException>(() => Stock().ReserveFor("o-1").AssignTo("c-2", "o-2"));
    }

    [Fact]
    public void ReturnToStock_Reserved_IsUnassignedAndFree()
    {
        var vehicle = Stock().ReserveFor("o-1").ReturnToStock();

        Assert.Equal(StockStatus.Unassigned, vehicle.Status);
        Assert.Null(vehicle.ReservedForOrderId);
    }

    [Fact]
    public void ReturnToStock_Registered_BreaksRule()
    {
        var registered = Stock().AssignTo("c-1", "o-1").Register("P");

        Assert.Throws<BusinessRuleException>(registered.ReturnToStock);
    }

    [Fact]
    public void Register_NotAssigned_BreaksRule()
    {
        Assert.Throws<BusinessRuleException>(() => Stock().Register("P"));
    }
}
