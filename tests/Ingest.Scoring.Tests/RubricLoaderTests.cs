using Ingest.Scoring.Rubrics;

namespace Ingest.Scoring.Tests;

public class RubricLoaderTests
{
    private const string Valid = """
        {
          "id": "mini-1", "kind": "school", "title": "t", "source": "s", "total": 3,
          "starLevels": [{ "stars": 2, "min": 2 }], "vetoFromStars": 2,
          "areas": [{ "code": "1", "name": "基础设施", "points": 3, "groups": [{ "name": "g", "points": 3, "items": [
            { "number": "1", "text": "★x", "points": 1, "veto": true, "rule": { "kind": "threshold", "input": { "fact": "progress.interactive_classrooms", "period": "schoolYear" }, "min": 1 } },
            { "number": "2", "text": "y", "points": 2, "rule": { "kind": "bands", "input": { "fact": "cloud.app_use_rate", "period": "calendarYear" },
              "bands": [{ "min": 0.8, "score": 2 }, { "min": 0.6, "score": 1 }], "otherwise": 0 } }
          ] }] }]
        }
        """;

    [Fact]
    public void A_consistent_file_loads()
    {
        var rubric = RubricLoader.Parse(Valid, "mini.json");

        rubric.Items.Count.ShouldBe(2);
        rubric.Find("2")!.Rule.ShouldBeOfType<BandsRule>().Bands.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("\"points\": 2, \"rule\": { \"kind\": \"bands\"", "\"points\": 3, \"rule\": { \"kind\": \"bands\"", "item 2: the best score is 2, the item has 3 points")]
    [InlineData("\"total\": 3", "\"total\": 4", "areas add up to 3 points, the rubric's total is 4")]
    [InlineData("progress.interactive_classrooms", "progress.smart_boards", "item 1: fact 'progress.smart_boards' is not in the indicator catalogue")]
    [InlineData(", \"min\": 1 }", " }", "item 1: threshold without min")]
    [InlineData("\"veto\": true", "\"veto\": false", "item 1: veto is not set but the text starts with ★")]
    [InlineData("\"kind\": \"threshold\"", "\"kind\": \"guess\"", "item 1: unknown rule kind 'guess'")]
    [InlineData("{ \"min\": 0.8, \"score\": 2 }, { \"min\": 0.6, \"score\": 1 }", "{ \"min\": 0.6, \"score\": 1 }, { \"min\": 0.8, \"score\": 2 }", "item 2: bands must be listed highest first")]
    [InlineData("\"otherwise\": 0", "\"otherwise\": 0.3", "item 2: 0.3 is not a score in 0.5 steps")]
    [InlineData("\"period\": \"schoolYear\"", "\"period\": \"term\"", "item 1: period 'term' is not calendarYear, schoolYear or export")]
    [InlineData("\"group\"", "\"group\"", "")]
    public void A_broken_file_fails_naming_the_item(string find, string replace, string expected)
    {
        var json = Valid.Replace(find, replace, StringComparison.Ordinal);
        if (expected.Length == 0)
        {
            RubricLoader.Parse(json, "mini.json").ShouldNotBeNull();
            return;
        }

        json.ShouldNotBe(Valid);
        var error = Should.Throw<RubricException>(() => RubricLoader.Parse(json, "mini.json"));
        error.Message.ShouldStartWith("mini.json (mini-1): ");
        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void A_group_whose_items_do_not_add_up_names_it()
    {
        var json = Valid.Replace("\"name\": \"g\", \"points\": 3", "\"name\": \"g\", \"points\": 4", StringComparison.Ordinal);

        Should.Throw<RubricException>(() => RubricLoader.Parse(json, "mini.json"))
            .Message.ShouldContain("area 1, group g: items add up to 3 points, the group has 4");
    }

    [Fact]
    public void Malformed_json_names_the_file_and_line()
    {
        Should.Throw<RubricException>(() => RubricLoader.Parse("{ \"id\": ", "bad.json")).Message.ShouldStartWith("bad.json: not a rubric file");
    }

    [Fact]
    public void An_unknown_property_is_refused_rather_than_ignored()
    {
        var json = Valid.Replace("\"min\": 1 }", "\"min\": 1, \"minimum\": 2 }", StringComparison.Ordinal);

        Should.Throw<RubricException>(() => RubricLoader.Parse(json, "mini.json")).Message.ShouldContain("minimum");
    }
}
