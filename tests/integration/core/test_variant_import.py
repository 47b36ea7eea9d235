"""Products with variants, categories and costs from the products CSV."""

from __future__ import annotations

from typing import Any

from support.api import Api

HEADER = ("sku,name,price,tax_rate,cost,category,product,option1_name,option1_value,"
          "option2_name,option2_value,barcodes\n")


def imported(api: Api, rows: str) -> Any:
    return api.ok(api.post("/products/imports", {"csv": HEADER + rows}))


def test_rows_of_one_product_make_its_variants(api: Api) -> None:
    report = imported(api, (
        "TEE-S,Tee,15.00,0.08,6.1250,Clothing/Tees,tee,Size,S,Colour,Red,4006381333931\n"
        "MUG,Mug,5.00,0.08,2,Kitchen,,,,,,\n"
        "TEE-M,Tee,15.00,0.08,,Clothing/Tees,tee,Size,M,Colour,Red,\n"))
    assert report == {"created": 3, "updated": 0, "unchanged": 0, "rejected": []}
    small = api.ok(api.get("/products/TEE-S"))
    assert (small["name"], small["cost"], small["options"], small["category"]) == (
        "Tee - S / Red", "6.125", {"Size": "S", "Colour": "Red"}, "Clothing/Tees")
    group = api.ok(api.get(f"/product-groups/{small['product_id']}"))
    assert group["options"] == [{"name": "Size", "values": ["S", "M"]},
                                {"name": "Colour", "values": ["Red"]}]
    assert api.ok(api.get("/products/MUG"))["category"] == "Kitchen"

    again = imported(api, (
        "TEE-S,Tee,15.00,0.08,6.1250,Clothing/Tees,tee,Size,S,Colour,Red,4006381333931\n"
        "TEE-M,Tee,16.00,0.08,,Clothing/Tees,tee,Size,M,Colour,Red,\n"
        "TEE-M-BLUE,Tee,16.00,0.08,,Clothing/Tees,tee,Size,M,Colour,Blue,\n"))
    assert again == {"created": 1, "updated": 1, "unchanged": 1, "rejected": []}
    group = api.ok(api.get(f"/product-groups/{small['product_id']}"))
    assert group["options"][1] == {"name": "Colour", "values": ["Red", "Blue"]}


def test_a_product_s_rows_are_refused_together_by_line(api: Api) -> None:
    report = imported(api, (
        "A-1,Socks,3.00,0,,,socks,Size,S,,,\n"
        "OK-1,Plate,3.00,0,,,,,,,,\n"
        "A-2,Socks,3.00,0,,,socks,Size,S,,,\n"
        "B-1,Hat,3.00,0,,,hat,Size,,,,\n"))
    assert (report["created"], [r["line"] for r in report["rejected"]]) == (1, [2, 4, 5])
    assert [r["sku"] for r in report["rejected"]] == ["A-1", "A-2", "B-1"]
    assert "same values" in report["rejected"][0]["reason"]
    assert "option1_name and option1_value" in report["rejected"][2]["reason"]
    assert api.get("/products/A-1").status_code == 404
