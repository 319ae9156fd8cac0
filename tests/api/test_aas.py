"""The AAS view (`/aas`, IDTA-01002 read paths): every example passport as IDTA-02035 submodels, read back
with `convert --from aas` (`importers.aas`) to the same graph; the access views apply; errors are
`Result` bodies. The AAS JSON is checked with aas-core3.0's verification of the metamodel constraints."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from aas_core3 import jsonization, verification

from passport_registry.importers import aas
from passport_registry.rdf.formats import JSON_LD
from passports_support import EXAMPLES, OPERATORS, Api, example_json, expected_graph, graph, rooted_graph

NAMES = sorted(p.name for p in EXAMPLES.glob("*.json"))
EXTENSION = "BatteryPassportRegistryExtension"


def b64(identifier: str) -> str:
    return base64.urlsafe_b64encode(identifier.encode()).decode().rstrip("=")


def owner_of(name: str) -> str:
    operator = example_json(name)["operatorInformation"]["identifier"]
    return next(caller for caller, organisation in OPERATORS.items() if organisation == operator)


def aas_environment(api: Api, shell_id: str, caller: str | None) -> dict[str, Any]:
    """The shell and its submodels as `caller` reads them through `/aas`, as one AAS JSON environment."""
    headers = api.headers(caller) if caller else {}
    shell = api.client.get(f"/aas/shells/{b64(shell_id)}", headers=headers)
    assert shell.status_code == 200, shell.text
    refs = api.client.get(f"/aas/shells/{b64(shell_id)}/submodel-refs", headers=headers).json()["result"]
    submodels = []
    for ref in refs:
        (key,) = ref["keys"]
        read = api.client.get(f"/aas/submodels/{b64(key['value'])}", headers=headers)
        assert read.status_code == 200, read.text
        submodels.append(read.json())
    return {"assetAdministrationShells": [shell.json()], "submodels": submodels}


def passport_graph(document: dict[str, Any], passport: str) -> set[str]:
    triples = graph(json.dumps(document).encode(), JSON_LD)
    return rooted_graph(triples, passport)


def test_every_example_reads_back_the_same_through_the_aas_view(api: Api) -> None:
    extension: set[str] = set()
    for name in NAMES:
        owner = owner_of(name)
        location = api.create(name, owner).headers["location"]
        passport = "http://testserver" + location
        env = aas_environment(api, passport, owner)
        errors = list(verification.verify(jsonization.environment_from_jsonable(env)))
        assert errors == [], [f"{e.path}: {e.cause}" for e in errors][:5]
        result = aas.convert([env])
        assert result.errors == [], result.errors
        assert passport_graph(result.passport, passport) == expected_graph(name, passport), name
        # IDTA-02035 carries the values of its rows; the rest travels in the extension submodel.
        ids = {s["idShort"] for s in env["submodels"]}
        assert {"BatteryNameplate", "TechnicalData", "DppMetadata"} <= ids
        for submodel in env["submodels"]:
            if submodel["idShort"] == EXTENSION:
                extension |= {e["idShort"] for e in submodel["submodelElements"]}
    assert extension == NOT_CARRIED_BY_IDTA_02035


#: The attributes of the examples that travel in the extension submodel, because IDTA-02035 has no element
#: for them or our mapping does not put them in one (docs/aas.md says why for each); the nodes with an
#: `identifier` row keep their other members there.
NOT_CARRIED_BY_IDTA_02035 = {
    "absoluteCarbonFootprint",
    "batteryCarbonFootprint",
    "batteryMaterials",  # ev-lfp-car-pack only: a material has an EC number, which IDTA-02035 lacks
    "cadmiumAndLeadSymbols",
    "carbonFootprintLabel",
    "carbonFootprintManufacturingPlant",
    "carbonFootprintPerLifecycleStage",
    "carbonFootprintPerformanceClass",
    "carbonFootprintStudy",
    "criticalRawMaterials",
    "dismantlingAndRemovalInformation",
    "hazardousSubstances",
    "initialInternalResistance",
    "internalResistanceIncrease",
    "lifetimeReferenceTest",
    "manufacturerInformation",
    "manufacturingPlace",
    "negativeEvents",
    "numberOfDeepDischargeEvents",
    "numberOfOverchargeEvents",
    "operatorInformation",
    "originalPowerCapability",
    "predecessor",
    "ratedEnergy",
    "remainingPowerCapability",
    "resultOfTestReport",
    "safetyMeasures",
    "separateCollectionSymbol",
    "sparePartSources",
    "successor",
    "supplyChainDueDiligenceReport",
    "supplyChainIndices",
    "thirdPartyAssurances",
    "timeExtremeHighTemp",
    "timeExtremeHighTempCharging",
    "timeExtremeLowTemp",
    "timeExtremeLowTempCharging",
}


@pytest.fixture(scope="module")
def ev(shared_api: Api) -> str:
    location: str = shared_api.create("ev-nmc-car-pack.json", "voltara").headers["location"]
    return "http://testserver" + location


def test_anonymous_callers_see_the_public_submodels_only(shared_api: Api, ev: str) -> None:
    owner = aas_environment(shared_api, ev, "voltara")
    public = aas_environment(shared_api, ev, None)
    assert {s["idShort"] for s in owner["submodels"]} > {s["idShort"] for s in public["submodels"]}
    assert "ProductCondition" in {s["idShort"] for s in owner["submodels"]}
    assert "ProductCondition" not in {s["idShort"] for s in public["submodels"]}
    hidden = shared_api.client.get(f"/aas/submodels/{b64(ev + '/submodels/ProductCondition')}")
    assert hidden.status_code == 404
    assert hidden.json()["messages"][0]["messageType"] == "Error"


def test_listings_hold_the_callers_passports_and_page(shared_api: Api, ev: str) -> None:
    mine = shared_api.client.get("/aas/shells", headers=shared_api.headers("voltara")).json()
    assert ev in {shell["id"] for shell in mine["result"]}
    assert shared_api.client.get("/aas/shells").json() == {"paging_metadata": {}, "result": []}
    product = example_json("ev-nmc-car-pack.json")["productIdentifier"]
    asset = b64(json.dumps({"name": "globalAssetId", "value": product}))
    found = shared_api.client.get("/aas/shells", params={"assetIds": asset}).json()["result"]
    assert [shell["id"] for shell in found] == [ev]
    first = shared_api.client.get(
        "/aas/submodels", params={"limit": 1}, headers=shared_api.headers("voltara")
    )
    page = first.json()
    assert len(page["result"]) == 1 and "cursor" in page["paging_metadata"]
    cursor = page["paging_metadata"]["cursor"]
    second = shared_api.client.get(
        "/aas/submodels", params={"limit": 1, "cursor": cursor}, headers=shared_api.headers("voltara")
    ).json()
    assert second["result"][0]["id"] != page["result"][0]["id"]


def test_value_only_and_errors(shared_api: Api, ev: str) -> None:
    value = shared_api.client.get(f"/aas/submodels/{b64(ev + '/submodels/TechnicalData')}/$value").json()
    assert value["GeneralInformation"]["BatteryCategory"] == "ev"
    for path, status in (
        ("/aas/shells/not*base64", 400),
        (f"/aas/shells/{b64('http://testserver/passports/nothing')}", 404),
        ("/aas/shells?limit=0", 400),
        ("/aas/nothing-here", 404),
    ):
        response = shared_api.client.get(path)
        assert response.status_code == status, (path, response.text)
        assert {"messageType", "text", "code", "timestamp"} <= set(response.json()["messages"][0])
