package io.github.anilistmalsync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.TypeDefinition;
import graphql.language.AstPrinter;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fake AniList's schema may only hold what AniList's published schema holds: every type, field, argument (with
 * its type) and enum value. Then a query AniList would reject fails against the fake too.
 */
class FakeAniListSchemaTest {

  @Test
  void everyTypeFieldArgumentAndEnumValueExistsInAniListsPublishedSchema() throws Exception {
    Path published = Path.of("../shared/anilist/schema.graphqls");
    assumeTrue(Files.exists(published), "AniList's published schema is not beside the project");
    TypeDefinitionRegistry full = new SchemaParser().parse(Files.readString(published));
    String subsetText;
    try (InputStream in = FakeAniList.class.getResourceAsStream("/sandbox/anilist/schema.graphqls")) {
      subsetText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    TypeDefinitionRegistry subset = new SchemaParser().parse(subsetText);
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, TypeDefinition> e : subset.types().entrySet()) {
      TypeDefinition<?> ours = e.getValue();
      TypeDefinition<?> theirs = full.getType(e.getKey()).orElse(null);
      if (theirs == null) {
        missing.add("type " + e.getKey());
      } else if (ours instanceof ObjectTypeDefinition o && theirs instanceof ObjectTypeDefinition t) {
        for (FieldDefinition f : o.getFieldDefinitions()) {
          FieldDefinition tf = t.getFieldDefinitions().stream().filter(x -> x.getName().equals(f.getName())).findFirst().orElse(null);
          if (tf == null) {
            missing.add(e.getKey() + "." + f.getName());
            continue;
          }
          if (!AstPrinter.printAst(f.getType()).equals(AstPrinter.printAst(tf.getType()))) missing.add(e.getKey() + "." + f.getName() + " type");
          for (InputValueDefinition arg : f.getInputValueDefinitions()) {
            boolean found = tf.getInputValueDefinitions().stream().anyMatch(a -> a.getName().equals(arg.getName())
                && AstPrinter.printAst(a.getType()).equals(AstPrinter.printAst(arg.getType())));
            if (!found) missing.add(e.getKey() + "." + f.getName() + "(" + arg.getName() + ")");
          }
        }
      } else if (ours instanceof EnumTypeDefinition o && theirs instanceof EnumTypeDefinition t) {
        for (EnumValueDefinition v : o.getEnumValueDefinitions()) {
          if (t.getEnumValueDefinitions().stream().noneMatch(x -> x.getName().equals(v.getName()))) missing.add(e.getKey() + "." + v.getName());
        }
      } else if (ours instanceof InputObjectTypeDefinition o && theirs instanceof InputObjectTypeDefinition t) {
        for (InputValueDefinition v : o.getInputValueDefinitions()) {
          if (t.getInputValueDefinitions().stream().noneMatch(x -> x.getName().equals(v.getName()))) missing.add(e.getKey() + "." + v.getName());
        }
      }
    }
    assertThat(missing).isEmpty();
  }
}
