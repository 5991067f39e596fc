//! How the first layer looks and where it sits: layout, position and colour
//! scheme, turned into the class names the stylesheet knows.

use serde::Deserialize;

/// The site's choice of look (`"appearance"` in the config). Every field has
/// a default, so `{}` or no `appearance` at all is the bottom bar in light.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Appearance {
    /// The first layer's shape.
    pub layout: Layout,
    /// Where the first layer sits. Unset: `bottom` for a bar or a cloud,
    /// `bottom-right` for a box.
    pub position: Option<Position>,
    /// The colour scheme of the banner, the modal and the preference center.
    pub scheme: Scheme,
}

/// The first layer's shape. Accept all and Reject all have equal weight in each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// Across the full width of the viewport.
    #[default]
    Bar,
    /// A small card in a corner.
    Box,
    /// A wide card, centred.
    Cloud,
}

/// Where the first layer sits in the viewport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Position {
    /// Along the bottom edge (a box: bottom right).
    Bottom,
    /// Along the top edge (a box: top right).
    Top,
    /// Bottom left corner (a bar or a cloud: bottom).
    BottomLeft,
    /// Bottom right corner (a bar or a cloud: bottom).
    BottomRight,
    /// Top left corner (a bar or a cloud: top).
    TopLeft,
    /// Top right corner (a bar or a cloud: top).
    TopRight,
}

/// The colour scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// Dark text on a light background.
    #[default]
    Light,
    /// Light text on a dark background.
    Dark,
    /// Follows the visitor's `prefers-color-scheme`.
    Auto,
}

impl Appearance {
    /// Whether the first layer sits along the top edge (the page then keeps
    /// its scroll padding at the top rather than the bottom).
    pub fn at_top(&self) -> bool {
        matches!(
            self.position,
            Some(Position::Top | Position::TopLeft | Position::TopRight)
        )
    }

    /// The banner element's classes: `lcc-banner lcc-banner--<layout> lcc-banner--<position>`,
    /// the position resolved for the layout (a bar or a cloud has no corner;
    /// a box always has one).
    ///
    /// Twin: boot/appearance.mjs appearance
    pub fn banner_class(&self) -> String {
        let top = self.at_top();
        let (layout, place) = match self.layout {
            Layout::Bar => ("bar", if top { "top" } else { "bottom" }),
            Layout::Cloud => ("cloud", if top { "top" } else { "bottom" }),
            Layout::Box => (
                "box",
                match self.position {
                    Some(Position::Top | Position::TopRight) => "top-right",
                    Some(Position::TopLeft) => "top-left",
                    Some(Position::BottomLeft) => "bottom-left",
                    _ => "bottom-right",
                },
            ),
        };
        format!("lcc-banner lcc-banner--{layout} lcc-banner--{place}")
    }

    /// The scheme class every top-level element of the widget carries.
    pub fn scheme_class(&self) -> &'static str {
        match self.scheme {
            Scheme::Light => "lcc-light",
            Scheme::Dark => "lcc-dark",
            Scheme::Auto => "lcc-auto",
        }
    }
}
