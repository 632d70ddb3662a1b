"""Kinds of material the demo warehouse stocks, and how SAP would describe each one.

A family fixes what a material looks like: its part-number style, SAP-like description,
part types, price range, container sizes and whether L6 books it in thousands (KPC).
"""
from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass

SAP_DESCRIPTION_LENGTH = 40  # MM60 descriptions are at most 40 characters


def _screw(r: random.Random) -> str:
    head = r.choice(("PHILLIP FLAT HEAD", "PHP", "PAN HEAD", "HEX SOCKET", "TORX PAN", "THUMB"))
    size = r.choice(("5MM", "6MM", "M3 X 6", "M3 X 4", "M2.5 X 5", ".25", "3/16"))
    thread = r.choice(("6-32", "4-40", "M3", "M2.5", "8-32", "6-32 X .25 SQ CONE"))
    return f"SCREW, {head}, {size}, {thread}, {r.choice(('STL', 'STL ZI', 'SS', 'NI'))}"


_LABEL_TEXTS = ("MANUF ONLY", "ESD WARNING", "ASSET TAG", "UL")


def _label(r: random.Random) -> str:
    w, h = r.choice(((2, 0.75), (1.5, 0.5), (1.75, 0.5), (1.5, 0.25), (3, 1), (4, 6)))
    colour = r.choice(("White", "Yellow", "Silver", "Clear"))
    stock = r.choice(("Polyester", "Mylar", "Paper", "Vinyl"))
    return r.choice((f'Label, {w}" x {h}", {colour}, {stock}, Adh',
                     f"Label, Blank, {stock}, {colour}, {w}in x {h}",
                     f"LABEL, {r.choice(_LABEL_TEXTS)}, {w}x{h}"))


def _board(r: random.Random) -> str:
    socket = r.choice(("LGA3647", "LGA4189", "LGA4677", "SP3", "SP5", "AM4"))
    chipset = r.choice(("Lewisburg -2", "Lewisburg -4", "C621A", "C741", "N/A"))
    mem = r.choice(("DDR4", "DDR5"))
    return f"MB,{socket},{chipset},N/A,PCI-E,{mem},{r.choice('GBE')}"


def _card(r: random.Random) -> str:
    kind = r.choice(("NIC", "NIC Card", "HBA", "RAID", "GPU Riser"))
    gen = r.choice(("PCIe 3.0 x8", "PCIe 4.0 x16", "PCI-E", "OCP 3.0"))
    speed = r.choice(("10G", "25G", "25Gbps", "100G", "12Gb/s"))
    model = r.choice(("MCX512A-ACAT", "MCX542B-ACAN", "X710-DA2", "9500-8i", "E810-XXVDA2"))
    return f"{kind}, {gen}, {speed}, {model}"


def _cable(r: random.Random) -> str:
    kind = r.choice(("CBL, SATA, 7P-7P", "CBL, MINI-SAS HD", "CBL, PWR, 8P-8P", "CBL, USB 3.0",
                     "CBL, SLIMLINE x8", "CORD, PWR, C13-C14"))
    length = r.choice(("300MM", "500MM", "700MM", "1M", "2M"))
    return f"{kind}, {length}, {r.choice(('BLK', 'RED', 'BLU'))}"


def _thermal(r: random.Random) -> str:
    return r.choice((
        f"Fan Guard, {r.choice((60, 80, 92, 120))}MM, METAL",
        f"FAN, {r.choice(('60X38MM', '80X38MM', '40X56MM'))}, 12V, 4P",
        f"HEATSINK, {r.choice(('1U', '2U'))}, {r.choice(('CPU', 'PCH'))}, AL",
        f"THERMAL PAD, {r.choice(('0.5', '1.0', '1.5'))}MM, "
        f"{r.choice((20, 30, 40))}X{r.choice((20, 30))}",
    ))


def _memory(r: random.Random) -> str:
    gen = r.choice(("DDR4-2933", "DDR4-3200", "DDR5-4800"))
    return f"DIMM, {gen}, {r.choice((16, 32, 64, 128))}GB, {r.choice(('RDIMM', 'LRDIMM'))}, 2RX4"


def _psu(r: random.Random) -> str:
    watts = r.choice((800, 1200, 1600, 2000, 2400))
    grade, form = r.choice(("PLATINUM", "TITANIUM")), r.choice(("CRPS", "M-CRPS"))
    return f"PSU, {watts}W, 80+ {grade}, {form}"


def _packaging(r: random.Random) -> str:
    return r.choice((
        f"BOX, CARTON, {r.choice((12, 18, 24, 30))}x{r.choice((12, 18))}x"
        f"{r.choice((6, 8, 12))}, RSC",
        f"FOAM, END CAP, {r.choice(('1U', '2U', '4U'))}, PE",
        f"BAG, ESD, {r.choice((6, 8, 10, 12))}X{r.choice((8, 10, 12, 16))}, ZIP",
        "PALLET, 48X40, HT WOOD",
        f"TRAY, {r.choice(('DIMM', 'CPU', 'SSD'))}, {r.choice((8, 16, 24))} POS, ESD",
    ))


def _bracket(r: random.Random) -> str:
    return r.choice((
        f"BRKT, {r.choice(('PCIE', 'RISER', 'SSD', 'PSU'))}, {r.choice(('1U', '2U'))}, SGCC",
        f"RAIL KIT, {r.choice(('1U', '2U'))}, SLIDING, TOOL-LESS",
        f"STANDOFF, M3 X {r.choice((5, 6, 8, 10))}, BRASS",
        f"CLIP, CABLE, {r.choice(('NYLON', 'STL'))}, {r.choice((6, 8, 10))}MM",
    ))


@dataclass(frozen=True)
class Family:
    key: str
    weight: float
    part_types: tuple[str, ...]
    style: str                     # part-number style: "zero8", "dashed", "seven"
    price: tuple[float, float]     # price per piece (USD), low and high
    containers: tuple[int, ...]    # pieces per carton, reel or box
    pallet: tuple[int, ...]        # cartons per pallet
    stock_containers: int          # how many containers a typical stock level holds, at most
    kpc_share: float               # share of L6's cheap (< $1) materials booked in KPC
    material_types: tuple[str, ...]
    groups: tuple[str, ...]
    makers: tuple[str, ...]        # manufacturers (for SAP manufacturer and MPNs); () = none
    describe: Callable[[random.Random], str]


FAMILIES: tuple[Family, ...] = (
    Family("screw", 16, ("Screws",), "zero8", (0.01, 0.09), (1000, 2000, 5000, 10000), (20, 40),
           30, 0.8, ("ZROH", "ROH"), ("03", "05"), (), _screw),
    Family("label", 12, ("Labels",), "zero8", (0.01, 0.07), (1000, 2500, 5000, 10000), (24, 48),
           25, 0.8, ("ZROH",), ("05",), (), _label),
    Family("board", 8, ("MTHRBD", "AST-A", "RBFB-A", "AST-A??"), "dashed", (150, 900), (5, 10),
           (8, 12), 60, 0.0, ("ZROH", "ZHLB"), ("05", "SM009"),
           ("SUPERMICRO", "INTEL", "ASROCK RACK", "GIGABYTE"), _board),
    Family("card", 8, ("AST-B", "CN-A", "Xena-A", "AST-CONSIGNED", "AST-B??"), "dashed",
           (40, 400), (10, 20, 25), (10, 16), 40, 0.0, ("ZROH",), ("05",),
           ("MELLANOX", "INTEL", "BROADCOM", "MARVELL"), _card),
    Family("cable", 14, ("CN-B", "CYCLE", "CN-B??"), "seven", (0.5, 12), (50, 100, 200, 250),
           (10, 20), 30, 0.6, ("ZROH", "ROH"), ("03", "04"), ("MOLEX", "AMPHENOL", "TE"), _cable),
    Family("thermal", 10, ("RBFB-B", "Xena-B"), "seven", (1, 40), (20, 40, 60, 80), (10, 20),
           30, 0.2, ("ZROH",), ("03",), ("DELTA", "NIDEC", "COOLER MASTER"), _thermal),
    Family("memory", 6, ("AST-A", "AST-CONSIGNED", "RBFB-A"), "seven", (40, 300), (25, 50),
           (10, 20), 40, 0.0, ("ZROH",), ("05",), ("SAMSUNG", "MICRON", "SK HYNIX"), _memory),
    Family("psu", 5, ("AST-B-CYC", "RBFB-B-CYC"), "seven", (60, 250), (4, 8), (12, 16),
           30, 0.0, ("ZROH", "ZHLB"), ("05",), ("DELTA", "LITE-ON", "ZIPPY"), _psu),
    Family("packaging", 11, ("CYCLE", "AGORA"), "zero8", (0.2, 3), (25, 50, 100, 500), (10, 20),
           30, 0.3, ("ROH", "ZROH"), ("01", "02"), (), _packaging),
    Family("bracket", 10, ("RBFB-B-CYC", "Xena-B", "CYCLE"), "seven", (0.5, 15),
           (50, 100, 200), (10, 20), 30, 0.4, ("ZROH", "ZHLB"), ("03",), ("SUPERMICRO",), _bracket),
)
FAMILY_CUM_WEIGHTS = tuple(itertools.accumulate(f.weight for f in FAMILIES))


def description(family: Family, rng: random.Random) -> str:
    return family.describe(rng)[:SAP_DESCRIPTION_LENGTH].rstrip(" ,")


def part_number(style: str, rng: random.Random) -> str:
    """An SAP-like part number: '07003542', '02012MW00-600-G', '1115416', '1094081-05'."""
    if style == "zero8":
        return f"070{rng.randrange(100000):05d}"
    if style == "dashed":
        mid = "".join(rng.choice("0123456789ABCDEFGHJKMNPRSTUVWXYZ") for _ in range(2))
        tail = rng.choice(("600", "16K", "A00", "100", "32K", "8K0", "000"))
        return f"0{rng.randrange(10000):04d}{mid}{rng.randrange(10)}0-{tail}-G"
    number = f"{rng.randrange(1000000, 2000000)}"
    return f"{number}-{rng.randrange(1, 20):02d}" if rng.random() < 0.2 else number


def mpn(family: Family, maker: str, rng: random.Random) -> str:
    """A manufacturer part number: the maker's initials, digits and a suffix."""
    letters = "".join(w[0] for w in maker.split())[:3]
    suffix = rng.choice(("", "-A", "-B01", "-R", "-ES", "TR"))
    return f"{letters}{family.key[:2].upper()}{rng.randrange(10**6):06d}{suffix}"
