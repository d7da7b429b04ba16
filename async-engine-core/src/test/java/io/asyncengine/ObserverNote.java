package io.asyncengine;

import io.asyncengine.core.Engine;
import io.asyncengine.mapping.Table;
import io.asyncengine.testing.Schema;
import io.asyncengine.testing.TestDatabase;

/** An entity on {@code observer_notes}, the table of the observer tests' sessions. */
@Table("observer_notes")
final class ObserverNote {
  private Long id;
  private String text;

  ObserverNote() {}

  ObserverNote(String text) {
    this.text = text;
  }

  public Long getId() {
    return id;
  }

  public void setId(Long id) {
    this.id = id;
  }

  public String getText() {
    return text;
  }

  public void setText(String text) {
    this.text = text;
  }

  /** (Re)creates {@code observer_notes} with a generated id. */
  static void recreate(Engine engine, TestDatabase db) {
    String id = switch (db) {
      case SQLITE -> "id integer primary key autoincrement";
      case POSTGRESQL -> "id bigserial primary key";
      case MARIADB -> "id bigint auto_increment primary key";
    };
    Schema.recreate(engine, "observer_notes", "create table observer_notes (" + id + ", text varchar(100) not null)");
  }
}
