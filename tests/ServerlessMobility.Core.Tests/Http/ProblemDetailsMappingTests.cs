using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.Core.Tests.Http;

public class ProblemDetailsMappingTests
{
    public static TheoryData<Exception, int> Cases => new()
    {
        { new ResourceNotFoundException("Order", "o-1"), 404 },
        { new ConflictException("stale etag"), 409 },
        { new BusinessRuleException("feature-already-active", "already active"), 422 },
        { RequestValidationException.For("vin", "required"), 400 },
        { new ForbiddenException("no"), 403 },
        { new JsonException("bad"), 400 },
        { new BadHttpRequestException("too big", 413), 413 },
        { new ServerlessMobility.RentToOwn.Customers.UnsupportedMediaTypeException("not a jpeg"), 415 },
        { new InvalidOperationException("secret internals"), 500 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ToProblem_MapsExceptionToStatus(Exception exception, int expectedStatus)
    {
        var problem = ProblemDetailsExceptionHandler.ToProblem(exception);

        Assert.Equal(expectedStatus, problem.Status);
        Assert.False(string.IsNullOrEmpty(problem.Title));
    }

    /// <summary>Domain code names the kind of rule; a kind without a client-error status would surface as a 500.</summary>
    [Fact]
    public void StatusOf_EveryRuleKind_IsAClientError()
    {
        foreach (var kind in Enum.GetValues<RuleKind>())
        {
            Assert.InRange(ProblemDetailsExceptionHandler.StatusOf(kind), 400, 499);
        }
    }

    [Fact]
    public void DomainExceptions_CarryNoHttpStatus()
    {
        var withStatus = typeof(DomainException).Assembly.GetTypes()
            .Where(t => typeof(DomainException).IsAssignableFrom(t))
            .Where(t => t.GetProperties().Any(p => p.Name.Contains("Status", StringComparison.Ordinal)))
            .Select(t => t.Name)
            .ToList();

        Assert.Empty(withStatus);
    }

    [Fact]
    public void ToProblem_UnexpectedException_LeaksNoInternals()
    {
        var problem = ProblemDetailsExceptionHandler.ToProblem(new InvalidOperationException("connection string=secret"));

        Assert.DoesNotContain("secret", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ToProblem_ValidationException_CarriesFieldErrors()
    {
        var problem = Assert.IsType<HttpValidationProblemDetails>(ProblemDetailsExceptionHandler.ToProblem(RequestValidationException.For("vin", "A VIN has 17 characters.")));

        Assert.Equal(["A VIN has 17 characters."], problem.Errors["vin"]);
    }

    [Fact]
    public void ToProblem_BusinessRule_NamesTheRule()
    {
        var problem = ProblemDetailsExceptionHandler.ToProblem(new BusinessRuleException("maintenance-overdue", "Maintenance is overdue."));

        Assert.Equal("maintenance-overdue", problem.Extensions["rule"]);
        Assert.IsType<ProblemDetails>(problem);
    }
}
