//! Which messages a long conversation needs on screen, pure: the transcript
//! renders only those (and a margin), with spacers standing in for the rest.

/// Height assumed for a message not measured yet (px).
pub const ESTIMATED_HEIGHT: f64 = 120.0;

/// Extra height rendered above and below the visible part (px).
pub const OVERSCAN: f64 = 600.0;

/// The messages to render and the space the others take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Visible {
    /// First message to render.
    pub start: usize,
    /// One past the last message to render.
    pub end: usize,
    /// Height of the messages before `start` (px).
    pub pad_top: f64,
    /// Height of the messages from `end` on (px).
    pub pad_bottom: f64,
}

/// The range of messages that overlaps `[scroll_top - OVERSCAN, scroll_top +
/// viewport + OVERSCAN]`, given each message's height. A `scroll_top` past
/// the end (such as `f64::INFINITY`, "at the bottom") is clamped as the
/// browser would.
pub fn visible(heights: &[f64], scroll_top: f64, viewport: f64) -> Visible {
    let total: f64 = heights.iter().sum();
    let scroll_top = scroll_top.min((total - viewport).max(0.0)).max(0.0);
    let from = scroll_top - OVERSCAN;
    let to = scroll_top + viewport.max(0.0) + OVERSCAN;
    let mut top = 0.0;
    let mut start = heights.len();
    let mut pad_top = 0.0;
    let mut end = heights.len();
    for (i, h) in heights.iter().enumerate() {
        let bottom = top + h;
        if start == heights.len() && bottom > from {
            start = i;
            pad_top = top;
        }
        if top >= to {
            end = i;
            break;
        }
        top = bottom;
    }
    if start == heights.len() {
        // Scrolled past the end: show the last messages.
        start = heights.len().saturating_sub(1);
        pad_top = heights[..start].iter().sum();
    }
    let end = end.max(start.min(heights.len()));
    let rendered: f64 = heights[start..end].iter().sum();
    Visible {
        start,
        end,
        pad_top,
        pad_bottom: (total - pad_top - rendered).max(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_only_what_is_near_the_viewport() {
        let heights = vec![100.0; 2000];
        let v = visible(&heights, 50_000.0, 800.0);
        assert_eq!(v.start, 494);
        assert_eq!(v.end, 514);
        assert_eq!(v.pad_top, 49_400.0);
        assert_eq!(
            v.pad_top + (v.end - v.start) as f64 * 100.0 + v.pad_bottom,
            200_000.0
        );
    }

    #[test]
    fn the_top_and_the_bottom() {
        let heights = vec![100.0; 2000];
        let top = visible(&heights, 0.0, 800.0);
        assert_eq!((top.start, top.pad_top), (0, 0.0));
        assert_eq!(top.end, 14);
        let bottom = visible(&heights, 200_000.0 - 800.0, 800.0);
        assert_eq!(bottom.end, 2000);
        assert_eq!(bottom.pad_bottom, 0.0);
        assert!(bottom.end - bottom.start <= 20);
    }

    #[test]
    fn short_and_empty_lists() {
        assert_eq!(
            visible(&[], 0.0, 800.0),
            Visible {
                start: 0,
                end: 0,
                pad_top: 0.0,
                pad_bottom: 0.0
            }
        );
        let v = visible(&[50.0, 60.0], 0.0, 800.0);
        assert_eq!((v.start, v.end, v.pad_top, v.pad_bottom), (0, 2, 0.0, 0.0));
        // Scrolled beyond the content: clamped, as the browser does.
        let v = visible(&[50.0, 60.0], 10_000.0, 800.0);
        assert_eq!((v.start, v.end), (0, 2));
        let v = visible(&vec![100.0; 2000], f64::INFINITY, 800.0);
        assert_eq!(v.end, 2000);
        assert!(v.end - v.start <= 20 && v.end - v.start >= 8);
    }

    #[test]
    fn uneven_heights() {
        let heights = [1000.0, 10.0, 10.0, 5000.0, 10.0];
        let v = visible(&heights, 1500.0, 100.0);
        assert_eq!((v.start, v.end), (0, 4));
        let v = visible(&heights, 7000.0, 100.0);
        assert_eq!((v.start, v.end), (3, 5));
        assert_eq!(v.pad_top, 1020.0);
    }
}
