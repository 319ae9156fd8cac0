"""The QR code's path: GS1 Digital Link and other identifiers lead to the passport (307) or list its links
(RFC 9264 linkset); the QR codes decode (zxing-cpp) to the passport's URL."""

from __future__ import annotations

import io
from xml.etree import ElementTree

import pytest
import zxingcpp
from PIL import Image

from passport_registry.api.representations import OFFERED
from passports_support import Api, example_json

LINKSET = "application/linkset+json"
GS1 = "https://gs1.org/voc/"


@pytest.fixture
def passport(api: Api) -> dict[str, str]:
    created: dict[str, str] = api.create("ev-nmc-car-pack.json").json()
    return created


def test_a_gs1_digital_link_redirects_to_the_passport(api: Api, passport: dict[str, str]) -> None:
    assert passport["battery_identifier"] == "(01)04012345000016(21)VX77NMC0004711"
    for gtin in ("04012345000016", "4012345000016"):  # GTIN-14 and the same GTIN-13
        found = api.client.get(f"/01/{gtin}/21/VX77NMC0004711", follow_redirects=False)
        assert found.status_code == 307, found.text
        assert found.headers["location"] == f"/passports/{passport['id']}"
        assert 'rel="linkset"' in found.headers["link"] and LINKSET in found.headers["link"]
        assert "Accept" in found.headers["vary"]
    followed = api.client.get(
        "/01/04012345000016/21/VX77NMC0004711", headers={"Accept": "application/ld+json"}
    )
    assert (
        followed.status_code == 200 and followed.json()["productIdentifier"] == passport["battery_identifier"]
    )
    # A browser lands on the passport page.
    page = api.client.get("/01/04012345000016/21/VX77NMC0004711", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")


def test_any_identifier_the_passport_carries_resolves(api: Api, passport: dict[str, str]) -> None:
    document = example_json("ev-nmc-car-pack.json")
    for identifier in (
        document["batteryPassportIdentifier"],
        document["productIdentifier"],
        passport["iri"],
        "https://id.gs1.org/01/04012345000016/21/VX77NMC0004711",
        "http://example.com/some/prefix/01/4012345000016/21/VX77NMC0004711?linkType=pip",
    ):
        found = api.client.get("/resolve", params={"identifier": identifier}, follow_redirects=False)
        assert found.status_code == 307, (identifier, found.text)
        assert found.headers["location"] == f"/passports/{passport['id']}", identifier


def test_the_linkset_lists_every_representation(api: Api, passport: dict[str, str]) -> None:
    url = f"http://testserver/passports/{passport['id']}"
    for request in (
        {"headers": {"Accept": LINKSET}},
        {"params": {"linkType": "all"}},
    ):
        found = api.client.get("/01/04012345000016/21/VX77NMC0004711", **request)  # type: ignore[arg-type]
        assert found.status_code == 200, found.text
        assert found.headers["content-type"] == LINKSET
        (context,) = found.json()["linkset"]
        assert context["anchor"] == "http://testserver/01/04012345000016/21/VX77NMC0004711"
        assert context[GS1 + "defaultLink"][0]["href"] == url
        assert context[GS1 + "pip"] == [{"href": url, "type": "text/html", "title": "Battery passport page"}]
        assert {link["type"] for link in context["alternate"]} == set(OFFERED)
        # Every target answers, and in the type the linkset says.
        for relation in ("alternate", "related", "version-history"):
            for link in context[relation]:
                target = api.client.get(link["href"], headers={"Accept": link["type"]})
                assert target.status_code == 200, link
                assert target.headers["content-type"].split(";")[0] == link["type"], link


def test_the_linkset_names_the_successor(api: Api, passport: dict[str, str]) -> None:
    successor = api.client.post(
        f"/passports/{passport['id']}/successors",
        json=example_json("stationary-second-life-nmc.json"),
        headers=api.headers("zweitleben", content_type="application/ld+json"),
    )
    assert successor.status_code == 201, successor.text
    accepted = api.client.put(
        f"/passports/{passport['id']}/successors/{successor.json()['id']}", headers=api.headers("voltara")
    )
    assert accepted.status_code in (200, 204), accepted.text
    found = api.client.get("/resolve", params={"identifier": passport["iri"], "linkType": "linkset"})
    (context,) = found.json()["linkset"]
    assert context["successor-version"] == [{"href": successor.json()["iri"]}]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/01/04012345000016/21/NO-SUCH-SERIAL", 404),
        ("/01/04012345000017/21/VX77NMC0004711", 404),  # a wrong check digit finds nothing
        ("/01/1234/21/VX77NMC0004711", 400),
        ("/01/0401234500001X/21/VX77NMC0004711", 400),
        ("/01/04012345000016/21/" + "X" * 21, 422),  # longer than AI (21) allows
        ("/01/04012345000016/21/%C3%A9", 400),  # not GS1 character set 82
        ("/resolve?identifier=urn:uuid:00000000-0000-4000-8000-000000000000", 404),
        ("/resolve?identifier=", 422),
    ],
)
def test_unknown_or_malformed_identifiers_are_problems(
    api: Api, passport: dict[str, str], path: str, status: int
) -> None:
    found = api.client.get(path, follow_redirects=False)
    assert found.status_code == status, found.text
    assert found.headers["content-type"] == "application/problem+json"
    assert found.json()["status"] == status


def test_an_ended_passport_is_not_resolved(api: Api, passport: dict[str, str]) -> None:
    ended = api.client.delete(f"/passports/{passport['id']}", headers=api.headers("voltara", if_match="*"))
    assert ended.status_code == 204
    assert api.client.get("/01/04012345000016/21/VX77NMC0004711").status_code == 404
    assert api.client.get("/resolve", params={"identifier": passport["iri"]}).status_code == 410
    assert api.client.get(f"/passports/{passport['id']}/qr").status_code == 410


def decode(image: Image.Image) -> list[str]:
    return [
        code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode
    ]


def test_the_qr_code_decodes_to_the_passport_url(api: Api, passport: dict[str, str]) -> None:
    png = api.client.get(f"/passports/{passport['id']}/qr?format=png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert decode(Image.open(io.BytesIO(png.content))) == [passport["iri"]]
    by_accept = api.client.get(f"/passports/{passport['id']}/qr", headers={"Accept": "image/png"})
    assert by_accept.content == png.content
    # The URL leads to the passport.
    assert api.client.get(passport["iri"], headers={"Accept": "text/html"}).status_code == 200


def test_the_svg_qr_code_is_the_same_code(api: Api, passport: dict[str, str]) -> None:
    """The SVG drawn module by module (its one path's moves), rasterised here, decodes to the same URL."""
    svg = api.client.get(f"/passports/{passport['id']}/qr")
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    root = ElementTree.fromstring(svg.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert decode(rasterise(root)) == [passport["iri"]]
    assert svg.headers["etag"]
    again = api.client.get(f"/passports/{passport['id']}/qr", headers={"If-None-Match": svg.headers["etag"]})
    assert again.status_code == 304
    assert (
        api.client.get(f"/passports/{passport['id']}/qr", headers={"Accept": "image/gif"}).status_code == 406
    )
    assert api.client.get("/passports/nope/qr").status_code == 404


def rasterise(svg: ElementTree.Element) -> Image.Image:
    """segno's SVG as pixels: one `<path>` whose `d` draws each row's dark runs as horizontal lines
    (`M x y h n`, relative moves `m dx dy`), scaled by its `transform`; read the way an SVG renderer would."""
    ns = "{http://www.w3.org/2000/svg}"
    path = svg.find(f"{ns}path")
    assert path is not None
    scale = float(path.get("transform", "scale(1)").removeprefix("scale(").rstrip(")"))
    width = int(float(svg.get("width", "0")) / scale)
    image = Image.new("L", (width * 4, width * 4), 255)
    tokens = path.get("d", "").replace("M", " M ").replace("m", " m ").replace("h", " h ").split()
    x = y = 0.0
    i = 0
    while i < len(tokens):
        command = tokens[i]
        if command in ("M", "m"):
            dx, dy = float(tokens[i + 1]), float(tokens[i + 2])
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
            i += 3
        elif command == "h":
            length = float(tokens[i + 1])
            for px in range(int(x * 4), int((x + length) * 4)):
                for py in range(int((y - 0.5) * 4), int((y + 0.5) * 4)):
                    image.putpixel((px, py), 0)
            x += length
            i += 2
        else:
            raise AssertionError(f"unexpected path command {command!r}")
    return image


def test_a_malformed_digital_link_given_to_resolve_is_a_bad_request(api: Api) -> None:
    found = api.client.get(
        "/resolve", params={"identifier": "https://id.gs1.org/01/04012345000016/21/%C3%A9"}
    )
    assert found.status_code == 400 and found.headers["content-type"] == "application/problem+json"
