using Ingest.Core.Organisations;
using Ingest.Data.Organisations;
using Ingest.Testing;
using Npgsql;

namespace Ingest.Data.Tests.Organisations;

public class OrganisationStoreTests
{
    [Fact]
    public async Task UpsertAsync_SchoolsBeforeTheirCounty_StoresTheTreeWithTheParentSchoolLink()
    {
        await using var ds = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync());
        var store = new OrganisationStore(ds, TimeProvider.System);

        // Listed children first, as an upstream may: the store writes parents first.
        await store.UpsertAsync(
        [
            new Organisation("2164012401", "泾源县新民乡杨堡教学点", OrgLevel.School, "640424", "2164012399", "教学点", IsTeachingPoint: true, StudentCount: 18),
            new Organisation("2164012399", "泾源县新民乡中心小学", OrgLevel.School, "640424", null, "小学", StudentCount: 420),
            new Organisation("640424", "泾源县", OrgLevel.County, "640400"),
            new Organisation("640400", "固原市", OrgLevel.City, Organisation.RegionCode),
        ], CancellationToken.None);

        (await store.ListCountyCodesAsync(CancellationToken.None)).ShouldBe(["640424"]);
        (await ds.ScalarAsync<string>("SELECT parent_school_code FROM ingest.organisation WHERE code = '2164012401'")).ShouldBe("2164012399");
        (await ds.ScalarAsync<string>("SELECT parent_code FROM ingest.organisation WHERE code = '2164012401'")).ShouldBe("640424");
    }

    [Fact]
    public async Task UpsertAsync_SchoolClosedLater_KeepsItListedAsClosed()
    {
        await using var ds = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync());
        var store = new OrganisationStore(ds, TimeProvider.System);
        Organisation[] tree =
        [
            new("640400", "固原市", OrgLevel.City, Organisation.RegionCode),
            new("640424", "泾源县", OrgLevel.County, "640400"),
            new("2164012345", "泾源县城关第一小学", OrgLevel.School, "640424", null, "小学", StudentCount: 812),
        ];
        await store.UpsertAsync(tree, CancellationToken.None);

        await store.UpsertAsync([tree[2] with { Active = false }], CancellationToken.None);

        (await ds.ScalarAsync<bool>("SELECT active FROM ingest.organisation WHERE code = '2164012345'")).ShouldBeFalse();
        (await ds.ScalarAsync<long>("SELECT count(*) FROM ingest.organisation WHERE level = 'school'")).ShouldBe(1);
    }
}
