"""Prompts for the tokenizer fixture: hand-written edge cases plus seeded random ones.

Each entry is (category, prompt). The category names the class of input; README.md lists the
categories on which the slow (ftfy) tokenizers differ from the fast one on purpose.
"""

import random

HAND_WRITTEN = [
    # plain captions
    ("ascii", "a photo of a cat"),
    ("ascii", "A Photo Of A Cat"),
    ("ascii", "an astronaut riding a horse on the moon, highly detailed, 8k"),
    ("ascii", "cinematic still of a red fox in the snow, bokeh, golden hour"),
    ("ascii", "portrait of an old fisherman, oil painting by rembrandt"),
    ("ascii", "a watercolor painting of a lighthouse at dusk"),
    ("ascii", "isometric pixel art castle"),
    ("ascii", "HELLO WORLD"),
    ("ascii", "McDonald's drive-thru at night"),
    ("ascii", "supercalifragilisticexpialidocious"),
    ("ascii", "pneumonoultramicroscopicsilicovolcanoconiosis"),
    ("ascii", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
    ("ascii", "abababababababababababab"),
    ("ascii", "the the the the the"),
    ("ascii", "Stable Cascade"),
    ("ascii", "a"),
    ("ascii", "I"),
    ("empty", ""),
    ("empty", " "),
    ("empty", "   \t\n  "),
    # punctuation and digits
    ("punct", "hello, world!"),
    ("punct", "what?!?!"),
    ("punct", "wait..."),
    ("punct", "C++ and C# and F#"),
    ("punct", "e-mail: someone@example.com"),
    ("punct", "https://example.com/path?q=1&r=2"),
    ("punct", "#hashtag @user $100 50% ^_^ ~tilde~"),
    ("punct", "(parentheses) [brackets] {braces} <angles>"),
    ("punct", "a/b\\c|d"),
    ("punct", "!!!???..."),
    ("punct", "--- *** ___ +++ ==="),
    ("punct", "\"double quotes\" and 'single quotes'"),
    ("punct", "`backticks`"),
    ("digits", "1024x768"),
    ("digits", "3.14159265358979"),
    ("digits", "version 2.0.1"),
    ("digits", "1999 2024 10000000"),
    ("digits", "4k uhd 16:9"),
    ("digits", "007 james bond"),
    ("digits", "Ⅻ roman numerals ⅷ"),
    ("digits", "½ cup, x² + y³"),
    ("digits", "١٢٣ arabic-indic digits"),
    ("digits", "①②③ circled"),
    # apostrophes
    ("apostrophe", "don't stop"),
    ("apostrophe", "DON'T STOP"),
    ("apostrophe", "it's a dog's life"),
    ("apostrophe", "we're here, they've gone, I'm fine, you'll see, he'd know"),
    ("apostrophe", "rock 'n' roll"),
    ("apostrophe", "o'clock o'neill"),
    ("apostrophe", "'s 't 're 've 'm 'll 'd"),
    ("apostrophe", "''quoted''"),
    ("apostrophe", "the 90's"),
    ("apostrophe", "can't won't shouldn't"),
    ("apostrophe", "it'S I'M WE'RE"),
    ("apostrophe", "'d'd'd"),
    ("apostrophe", "it'ſ a long s"),
    ("curly_quote", "don\u2019t stop"),
    ("curly_quote", "\u201cfancy quotes\u201d"),
    ("curly_quote", "it\u2019s \u2018single\u2019"),
    # accents and scripts
    ("accent", "café crème brûlée"),
    ("accent", "naïve façade"),
    ("accent", "Ångström ÉCOLE ÜBER"),
    ("accent", "cafe\u0301 decomposed"),
    ("accent", "q\u0307 no precomposed form"),
    ("accent", "Straße STRASSE ẞ"),
    ("accent", "Señor jalapeño"),
    ("accent", "Dvořák Łódź"),
    ("accent", "Ærøskøbing"),
    ("greek", "καλημέρα κόσμε"),
    ("greek_sigma", "ΟΔΟΣ ΣΟΦΙΑΣ"),
    ("greek_sigma", "ΣΑΣ"),
    ("greek", "Σ alone"),
    ("turkish", "İstanbul DİYARBAKIR ırmak"),
    ("cyrillic", "Привет, мир! ЁЛКА"),
    ("arabic", "مرحبا بالعالم"),
    ("hebrew", "שלום עולם"),
    ("devanagari", "नमस्ते दुनिया"),
    ("thai", "สวัสดีชาวโลก"),
    ("armenian", "Բարեւ ԱՇԽԱՐՀ"),
    ("georgian", "გამარჯობა"),
    ("cjk", "一只猫坐在垫子上"),
    ("cjk", "東京タワーの夜景"),
    ("cjk", "ねこ ネコ 猫"),
    ("cjk", "고양이가 매트 위에 앉아 있다"),
    ("cjk", "中文, English, 日本語 mixed"),
    ("fullwidth", "ｆｕｌｌｗｉｄｔｈ　ＬＥＴＴＥＲＳ　１２３"),
    ("astral", "𝐇𝐞𝐥𝐥𝐨 𝕎𝕠𝕣𝕝𝕕"),
    ("astral", "𐐀𐐁 deseret"),
    ("astral", "𝟘𝟙𝟚 math digits"),
    # emoji
    ("emoji", "🐱"),
    ("emoji", "a cat 🐱 and a dog 🐶"),
    ("emoji", "👍🏽 thumbs up"),
    ("emoji", "👨\u200d👩\u200d👧 family"),
    ("emoji", "🇯🇵🇫🇷 flags"),
    ("emoji", "❤️ red heart"),
    ("emoji", "1️⃣ keycap"),
    ("emoji", "🔥🔥🔥fire🔥🔥🔥"),
    ("emoji", "☕ ✨ ★ ☆ ♥"),
    # whitespace
    ("whitespace", "  leading spaces"),
    ("whitespace", "trailing spaces   "),
    ("whitespace", "many     spaces    between"),
    ("whitespace", "tab\tand\nnewline\r\nand crlf"),
    ("whitespace", "no\u00a0break\u00a0space"),
    ("whitespace", "em\u2003space and\u2009thin"),
    ("whitespace", "ideographic\u3000space"),
    ("whitespace", "line\u2028separator\u2029paragraph"),
    ("whitespace", "next\u0085line"),
    ("whitespace", "vertical\x0btab\x0cform feed"),
    ("zero_width", "zero\u200bwidth"),
    ("zero_width", "joiner\u200dnon\u200cjoiner"),
    ("zero_width", "\ufeffbom at start"),
    ("zero_width", "mongolian\u180evowel"),
    ("control_sep", "file\x1cgroup\x1drecord\x1eunit\x1fseparators"),
    ("control", "bell\x07char"),
    ("control", "nul\x00char"),
    ("control", "del\x7fchar"),
    ("control", "esc\x1b[31mred\x1b[0m"),
    # html
    ("html", "fish &amp; chips"),
    ("html", "&lt;b&gt;bold&lt;/b&gt;"),
    ("html", "rock &#39;n&#39; roll"),
    ("html", "&quot;quoted&quot;"),
    ("html", "Tom &amp;amp; Jerry"),
    ("html", "&copy; 2024 &nbsp; &eacute;"),
    ("html_literal", "a & b < c > d"),
    # ftfy-only repairs
    ("ligature", "ﬁne ﬂower ﬀ"),
    ("mojibake", "cafÃ© crÃ¨me"),
    ("mojibake", "Ã©tÃ©"),
    # special tokens written in the prompt
    ("special", "<|endoftext|>"),
    ("special", "a cat<|endoftext|>a dog"),
    ("special", "<|startoftext|> hello"),
    ("special", "<|endoftext|><|endoftext|><|startoftext|>"),
    ("special", "<|endoftext"),
    ("special", "<| endoftext |>"),
    # unusual characters
    ("symbols", "→ ← ↑ ↓ ∞ ≈ ≠ ± × ÷"),
    ("symbols", "€ £ ¥ ₹ ₿"),
    ("symbols", "© ® ™ § ¶ † ‡"),
    ("symbols", "«guillemets» „low quotes“"),
    ("symbols", "em—dash en–dash … ellipsis"),
    ("symbols", "ª º ordinal indicators"),
    ("symbols", "ǅungla ǈ titlecase digraphs"),
    ("symbols", "\u00b5 micro \u2126 ohm \u212a kelvin \u212b angstrom"),
    ("symbols", "\u00ad soft\u00adhyphen"),
    ("symbols", "\ue000 private use"),
    ("symbols", "\ufffd replacement"),
]

WORDS = (
    "a an the of in on with by at from to and or photo painting portrait landscape city street "
    "night day sunset sunrise forest river mountain ocean beach desert castle robot dragon cat "
    "dog fox owl horse girl boy woman man old young beautiful dark bright colorful detailed "
    "intricate cinematic lighting volumetric fog rain snow neon cyberpunk steampunk fantasy "
    "anime watercolor oil sketch render unreal engine octane trending artstation masterpiece "
    "best quality highres 4k 8k hdr bokeh depth field wide angle close-up macro aerial view "
    "stained glass marble gold silver crystal glowing ancient futuristic victorian baroque"
).split()

EXTRA = [
    ",", ".", "!", "?", ":", ";", "-", "(", ")", "[", "]", "'", "'s", "don't", "&", "/",
    "1", "42", "2024", "3.5", "café", "naïve", "東京", "猫", "🐱", "✨", "ß", "Ω", "é", "ñ",
    "  ", "\t", "\n", "\u00a0", "\u3000", "ÉTÉ", "İ", "ΣΟΣ", "Ж", "ॐ", "ก", "<|endoftext|>",
]


def random_prompts(seed=1234, count=160):
    rng = random.Random(seed)
    out = []
    for i in range(count):
        n = rng.randint(1, 40)
        parts = []
        for _ in range(n):
            token = rng.choice(EXTRA) if rng.random() < 0.25 else rng.choice(WORDS)
            if rng.random() < 0.15:
                token = token.upper() if rng.random() < 0.5 else token.capitalize()
            parts.append(token)
        sep = rng.choice([" ", " ", " ", "", ", "])
        out.append(("random", sep.join(parts)))
    # random strings over a mixed alphabet, no word structure
    alphabet = (
        "abcxyzABCXYZ0123456789 .,;:!?'\"-_/\\()[]{}<>@#$%^&*+=~`|"
        "éèêëÉÈàâäÀÄöÖüÜßçÇñÑøØåÅæÆœŒ"
        "αβγΣσςΩЖжЁё日本語中文한국어ひらがなカタカナ"
        "🐱🐶✨🔥❤\ufe0f\u200d\u0301\u0308\u00a0\u3000\t\n"
    )
    for i in range(60):
        n = rng.randint(1, 60)
        out.append(("random_chars", "".join(rng.choice(alphabet) for _ in range(n))))
    return out


def long_prompts():
    out = []
    # exact boundaries: n single-token words -> n tokens (context 77 = BOS + 75 + EOS)
    for n in (73, 74, 75, 76, 77, 80, 150):
        out.append(("length", " ".join(["a"] * n)))
    out.append(
        (
            "length",
            "an extremely long prompt describing a sprawling fantasy city built on the back of a "
            "giant turtle swimming through a sea of clouds, with towering spires of white marble "
            "and gold, bustling markets full of merchants selling exotic spices and glowing "
            "crystals, airships docking at floating piers, waterfalls cascading off the edges of "
            "the shell into the mist below, dramatic sunset lighting, volumetric god rays, "
            "intricate details, ultra wide angle, masterpiece, best quality, trending on "
            "artstation, concept art by several famous illustrators, 8k resolution, hdr",
        )
    )
    out.append(("length", "🐱" * 40))
    out.append(("length", "东京塔" * 30))
    out.append(("length", "word, " * 60))
    return out


def all_prompts():
    return HAND_WRITTEN + long_prompts() + random_prompts()
