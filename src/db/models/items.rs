use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::{lookups, setters, values};
use crate::db::models::experts::on_panel;
use crate::db::schema::{experts, item_translations, item_versions, items, ratings, round_items, rounds};
use crate::db::DbConnection;
use crate::domain::round::{ItemOrigin, RoundState};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = items)]
pub struct Item {
    pub id: i64,
    pub study_id: i64,
    pub section_id: i64,
    pub code: String,
    pub text: String,
    pub description: Option<String>,
    pub position: i32,
    pub version: i32,
    #[diesel(deserialize_as = String)]
    pub origin: ItemOrigin,
    pub retired_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

lookups!(Item in items {
    by_id;
    of_study(study_id) by (items::position.asc(), items::id.asc());
    /// The study's item codes by item id: how lists and files name an item.
    codes_of_study(study_id) maps id to code;
});

impl Item {
    /// The study's items by id, for the use cases that join other rows to their items.
    pub fn by_id_of_study(conn: &mut DbConnection, study_id: i64) -> QueryResult<HashMap<i64, Item>> {
        Ok(Item::of_study(conn, study_id)?
            .into_iter()
            .map(|i| (i.id, i))
            .collect())
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = items)]
pub struct NewItem<'a> {
    pub study_id: i64,
    pub section_id: i64,
    pub code: &'a str,
    pub text: &'a str,
    pub description: Option<&'a str>,
    pub position: i32,
    #[diesel(serialize_as = String)]
    pub origin: ItemOrigin,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = item_translations)]
pub struct Translation {
    pub item_id: i64,
    pub language: String,
    pub text: String,
    pub description: Option<String>,
}

impl Item {
    /// Inserts the item and its first wording in the version history.
    pub fn insert(conn: &mut DbConnection, new: NewItem<'_>) -> QueryResult<Item> {
        let item: Item = diesel::insert_into(items::table)
            .values(new)
            .returning(items::all_columns)
            .get_result(conn)?;
        Item::record_version(conn, &item)?;
        Ok(item)
    }

    fn record_version(conn: &mut DbConnection, item: &Item) -> QueryResult<usize> {
        diesel::insert_into(item_versions::table)
            .values(values!(item_versions {
                item_id: item.id,
                version: item.version,
                text: &item.text,
                description: &item.description,
                created_at: item.updated_at,
            }))
            .execute(conn)
    }

    /// Whether the panel has answered the item (test answers do not fix a wording).
    pub fn has_ratings(conn: &mut DbConnection, item_id: i64) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            ratings::table
                .inner_join(experts::table)
                .filter(ratings::item_id.eq(item_id))
                .filter(on_panel()),
        ))
        .get_result(conn)
    }

    /// Whether any round has asked the item (whatever was answered). A draft round, which only
    /// test experts see before it opens, has asked nothing yet.
    pub fn was_asked(conn: &mut DbConnection, item_id: i64) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            round_items::table
                .inner_join(rounds::table)
                .filter(round_items::item_id.eq(item_id))
                .filter(rounds::status.ne(RoundState::Draft.as_str())),
        ))
        .get_result(conn)
    }

    /// Changes section, position and wording. A new wording of an item that has already been
    /// rated, or shown to experts in a round, becomes a new version, so earlier rounds keep the
    /// text their experts saw (`round_items.item_version` points at it).
    pub fn update(
        conn: &mut DbConnection,
        item: &Item,
        section_id: i64,
        text: &str,
        description: Option<&str>,
        at: NaiveDateTime,
    ) -> QueryResult<Item> {
        let reworded = item.text != text || item.description.as_deref() != description;
        let new_version =
            if reworded && (Item::has_ratings(conn, item.id)? || Item::was_asked(conn, item.id)?) {
                item.version + 1
            } else {
                item.version
            };
        let updated: Item = diesel::update(items::table.find(item.id))
            .set(values!(items {
                section_id,
                text,
                description,
                version: new_version,
                updated_at: at,
            }))
            .returning(items::all_columns)
            .get_result(conn)?;
        if new_version != item.version {
            Item::record_version(conn, &updated)?;
        } else if reworded {
            diesel::update(
                item_versions::table
                    .filter(item_versions::item_id.eq(item.id))
                    .filter(item_versions::version.eq(item.version)),
            )
            .set(values!(item_versions { text, description }))
            .execute(conn)?;
        }
        Ok(updated)
    }

    /// Replaces the item's translations with `translations` (language, text, description).
    pub fn set_translations(
        conn: &mut DbConnection,
        item_id: i64,
        translations: &[(String, String, Option<String>)],
    ) -> QueryResult<()> {
        diesel::delete(item_translations::table.filter(item_translations::item_id.eq(item_id)))
            .execute(conn)?;
        for (language, text, description) in translations {
            diesel::insert_into(item_translations::table)
                .values(values!(item_translations {
                    item_id,
                    language,
                    text,
                    description
                }))
                .execute(conn)?;
        }
        Ok(())
    }

    pub fn translations_of_study(conn: &mut DbConnection, study_id: i64) -> QueryResult<Vec<Translation>> {
        item_translations::table
            .inner_join(items::table)
            .filter(items::study_id.eq(study_id))
            .select(Translation::as_select())
            .load(conn)
    }

    /// The wording of `item_id` at `version`.
    pub fn text_at(conn: &mut DbConnection, item_id: i64, version: i32) -> QueryResult<Option<String>> {
        item_versions::table
            .filter(item_versions::item_id.eq(item_id))
            .filter(item_versions::version.eq(version))
            .select(item_versions::text)
            .get_result(conn)
            .optional()
    }

    /// Retires the item (`Some(at)`: no later round asks it) or brings it back (`None`).
    pub fn set_retired(
        conn: &mut DbConnection,
        item_id: i64,
        retired_at: Option<NaiveDateTime>,
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        diesel::update(items::table.find(item_id))
            .set((items::retired_at.eq(retired_at), items::updated_at.eq(at)))
            .execute(conn)
    }

    /// Every wording of every item of the study, oldest first within an item.
    pub fn versions_of_study(conn: &mut DbConnection, study_id: i64) -> QueryResult<Vec<ItemVersion>> {
        item_versions::table
            .inner_join(items::table)
            .filter(items::study_id.eq(study_id))
            .order((item_versions::item_id.asc(), item_versions::version.asc()))
            .select(ItemVersion::as_select())
            .load(conn)
    }
}

setters!(Item in items {
    set_position(position: i32);
});

/// One wording of an item as it stood from `created_at`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = item_versions)]
pub struct ItemVersion {
    pub item_id: i64,
    pub version: i32,
    pub text: String,
    pub description: Option<String>,
    pub created_at: NaiveDateTime,
}
