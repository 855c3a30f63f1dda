using BenchmarkDotNet.Attributes;
using ServerlessMobility.Benchmarks;
using ServerlessMobility.Showroom.LeadScoring;

namespace ServerlessMobility.Http.Benchmarks;

/// <summary>
/// The CPU part of <c>GET /api/showroom/leads/{id}/score</c> for one lead, with the model already loaded (as every request after
/// an instance's first): one prediction of the engine, which computes the calibrated probability and every feature's
/// contribution together (the baseline), and the same with the explanation built, sorted and named, as the route answers.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessJob))]
public class LeadScoringBenchmarks
{
    private LoadedLeadModel _model = null!;
    private float[] _lead = null!;

    [GlobalSetup]
    public void Setup()
    {
        var trained = LeadScoreTrainer.Train(SyntheticLeadGenerator.Generate(2000));
        _model = new LoadedLeadModel(1, trained.Zip);
        _lead = SyntheticLeadGenerator.Generate(1, 99)[0].Features;
    }

    [Benchmark(Baseline = true)]
    public float Probability() => _model.Score(_lead).Probability;

    [Benchmark]
    public int ScoreWithExplanation()
    {
        var scored = _model.Score(_lead);
        return LeadScorer.Explain(_lead, scored.FeatureContributions).Count;
    }
}
