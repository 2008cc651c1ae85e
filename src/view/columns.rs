//! Fitting a table's columns into the width the terminal gives, without cutting anything
//! silently.
//!
//! - A *whole* column (ids, IPs, CIDRs, states, numbers) is never cut: it gets its natural
//!   width (the widest cell or the header). A *flexible* column (names, descriptions, targets)
//!   gets what is left and its cells end with `…` when cut.
//! - The first column is pinned. When the rest does not fit, columns are hidden from the right
//!   (the title says `+N columns`) and `←`/`→` scroll through them ([`fit`]'s `hscroll`).

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// How a column may be sized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    /// Never cut (ids, IPs, CIDRs, states, counts); at least this wide.
    Whole(u16),
    /// Takes the room left, cut with `…` when it must; `Fill(weight)`.
    Flex(u16),
}

/// The widths chosen for one frame.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fitted {
    /// `(column index, width)` of the columns drawn, in order.
    pub shown: Vec<(usize, usize)>,
    /// How many columns are not drawn (left of the scroll position or past the right edge).
    pub hidden: usize,
    /// The scroll position actually used (clamped).
    pub hscroll: usize,
}

/// The display width of a string (East Asian wide characters count two).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to `max` columns, ending with `…` when anything was cut.
pub fn cut(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > max - 1 {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    Cow::Owned(out)
}

/// The smallest width a flexible column is squeezed to before columns are hidden.
const FLEX_MIN: usize = 8;
/// The widest a flexible column grows to while another column could use the room.
const FLEX_CAP: usize = 48;

/// Chooses widths for `specs` whose widest cells are `natural` (header included), in
/// `available` columns with `spacing` between columns. Column 0 is pinned; `hscroll` columns
/// after it are skipped.
pub fn fit(
    specs: &[Width],
    natural: &[usize],
    available: usize,
    spacing: usize,
    hscroll: usize,
) -> Fitted {
    fit_essential(specs, natural, available, spacing, hscroll, &[])
}

/// The headers of the columns a table hides last: what an on-call engineer reads a row for.
pub const ESSENTIAL: &[&str] = &[
    "STATE",
    "BGP STATUS",
    "BGP",
    "TARGET",
    "DESTINATION",
    "FINDING",
    "SEVERITY",
    "ACTION",
    "DOMAIN",
    "MATCHES",
];

/// [`fit`] where `essential[i]` columns are kept before any other (after column 0).
pub fn fit_essential(
    specs: &[Width],
    natural: &[usize],
    available: usize,
    spacing: usize,
    hscroll: usize,
    essential: &[bool],
) -> Fitted {
    let n = specs.len();
    if n == 0 {
        return Fitted::default();
    }
    let want = |i: usize| -> usize {
        let nat = natural.get(i).copied().unwrap_or(0);
        match specs[i] {
            Width::Whole(min) => nat.max(min as usize),
            Width::Flex(_) => nat.max(1),
        }
    };
    // The pinned first column names the row: it is never squeezed, whatever its kind.
    let min = |i: usize| -> usize {
        match specs[i] {
            Width::Flex(_) if i > 0 => want(i).min(FLEX_MIN),
            _ => want(i),
        }
    };
    // Scrolling stops once the last column is drawn.
    let mut tail = min(0).min(available);
    let mut first_of_tail = n;
    for i in (1..n).rev() {
        if tail + spacing + min(i) > available {
            break;
        }
        tail += spacing + min(i);
        first_of_tail = i;
    }
    let hscroll = hscroll.min(first_of_tail.saturating_sub(1));
    // Pinned column 0; then the essential columns (state, BGP status, target, finding), which
    // are hidden last; then the other whole columns (ids, IPs, CIDRs), then the free text,
    // which gives way first — each from 1 + hscroll, while its minimum fits. A column too wide
    // for what is left is hidden, and the ones after it still get their chance.
    let mut cols = vec![0usize];
    let mut used = min(0).min(available);
    let essential = |i: usize| essential.get(i).copied().unwrap_or(false);
    let passes: [&dyn Fn(usize) -> bool; 3] = [
        &|i| essential(i),
        &|i| !essential(i) && matches!(specs[i], Width::Whole(_)),
        &|i| !essential(i) && matches!(specs[i], Width::Flex(_)),
    ];
    for pass in passes {
        for i in 1..n {
            if !pass(i) || (i < 1 + hscroll && !essential(i)) {
                continue;
            }
            let need = spacing + min(i);
            if used + need > available {
                continue;
            }
            used += need;
            cols.push(i);
        }
    }
    cols.sort_unstable();
    let mut widths: Vec<usize> = cols.iter().map(|&i| min(i)).collect();
    widths[0] = widths[0].min(available);
    // Room left: flexible columns grow towards what they want (capped), then past the cap.
    let mut spare = available.saturating_sub(used);
    for cap in [FLEX_CAP, usize::MAX] {
        for (k, &i) in cols.iter().enumerate() {
            if let Width::Flex(_) = specs[i] {
                let target = want(i).min(cap);
                let grow = target.saturating_sub(widths[k]).min(spare);
                widths[k] += grow;
                spare -= grow;
            }
        }
    }
    // Whatever is still spare goes to the last column drawn (nothing to cut there).
    if let Some(last) = widths.last_mut() {
        *last += spare;
    }
    Fitted {
        hidden: n - cols.len(),
        shown: cols.into_iter().zip(widths).collect(),
        hscroll,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_marks_what_it_cuts() {
        assert_eq!(cut("vpc-0123456789abcdef0", 30), "vpc-0123456789abcdef0");
        assert_eq!(cut("vpc-0123456789abcdef0", 8), "vpc-012…");
        assert_eq!(width(&cut("名前が長いリソース", 7)), 7);
        assert_eq!(cut("abc", 0), "");
    }

    #[test]
    fn whole_columns_stay_whole_and_the_rest_is_hidden_then_scrolled() {
        let specs = [
            Width::Whole(2),
            Width::Flex(1),
            Width::Whole(5),
            Width::Whole(18),
        ];
        let natural = [21, 30, 9, 18];
        let wide = fit(&specs, &natural, 200, 1, 0);
        assert_eq!(wide.hidden, 0);
        assert_eq!(wide.shown[0], (0, 21));
        assert_eq!(wide.shown[1].1, 30, "the name gets its natural width");
        let narrow = fit(&specs, &natural, 45, 1, 0);
        assert!(
            narrow.shown.iter().all(|&(i, w)| i == 1 || w >= natural[i]),
            "{narrow:?}"
        );
        assert!(narrow.hidden >= 1, "{narrow:?}");
        assert_eq!(
            fit(&specs, &natural, 200, 1, 3).hscroll,
            0,
            "nothing to scroll to"
        );
        let scrolled = fit(&specs, &natural, 45, 1, 2);
        assert_eq!(scrolled.shown[0].0, 0, "the first column stays");
        assert!(scrolled.shown.iter().any(|&(i, _)| i == 3), "{scrolled:?}");
    }

    #[test]
    fn essential_columns_are_hidden_last_and_free_text_first() {
        // id, region, name (free text), peer state, BGP status (essential)
        let specs = [
            Width::Whole(0),
            Width::Whole(0),
            Width::Flex(1),
            Width::Whole(0),
            Width::Whole(0),
        ];
        let natural = [15, 9, 20, 10, 10];
        let essential = [false, false, false, false, true];
        let f = fit_essential(&specs, &natural, 40, 1, 0, &essential);
        let shown: Vec<usize> = f.shown.iter().map(|s| s.0).collect();
        assert!(shown.contains(&4), "BGP status kept: {shown:?}");
        assert!(!shown.contains(&2), "the name gives way first: {shown:?}");
        assert_eq!(shown, {
            let mut s = shown.clone();
            s.sort();
            s
        });
    }
}
