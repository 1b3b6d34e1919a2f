package io.github.anilistmalsync.anilist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import graphql.ParseAndValidate;
import graphql.language.Document;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.ScalarInfo;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import graphql.validation.ValidationError;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every GraphQL document the client sends is valid against AniList's published schema, not only the fake's subset. */
class AniListQueriesTest {

  @Test
  void everyDocumentTheClientSendsIsValidAgainstAniListsPublishedSchema() throws Exception {
    Path published = Path.of("../shared/anilist/schema.graphqls");
    assumeTrue(Files.exists(published), "AniList's published schema is not beside the project");
    TypeDefinitionRegistry registry = new SchemaParser().parse(Files.readString(published));
    // the published dump carries the introspection types, built-in scalars and directives that graphql-java adds itself
    for (var type : List.copyOf(registry.types().values())) {
      if (type.getName().startsWith("__")) registry.remove(type);
    }
    for (var scalar : List.copyOf(registry.scalars().values())) {
      if (ScalarInfo.isGraphqlSpecifiedScalar(scalar.getName())) registry.remove(scalar);
    }
    for (var directive : List.copyOf(registry.getDirectiveDefinitions().values())) {
      if (List.of("include", "skip", "deprecated", "specifiedBy", "oneOf", "defer").contains(directive.getName())) registry.remove(directive);
    }
    GraphQLSchema schema = UnExecutableSchemaGenerator.makeUnExecutableSchema(registry);
    Map<String, String> documents = new LinkedHashMap<>();
    documents.put("viewer", AniListQueries.VIEWER);
    documents.put("list", AniListQueries.LIST);
    documents.put("lookup", AniListQueries.LOOKUP);
    documents.put("check", AniListQueries.CHECK);
    documents.put("delete", AniListQueries.DELETE);
    documents.put("save (every field)", AniListQueries.save(new JsonObject().put("id", 1).put("mediaId", 2).put("status", "CURRENT")
        .put("scoreRaw", 50).put("progress", 1).put("progressVolumes", 1).put("repeat", 0).put("notes", "n").put("private", false)
        .put("startedAt", new JsonObject()).put("completedAt", new JsonObject())));
    for (Map.Entry<String, String> d : documents.entrySet()) {
      Document document = Parser.parse(d.getValue());
      List<ValidationError> errors = ParseAndValidate.validate(schema, document);
      assertThat(errors).as("the %s document against AniList's schema", d.getKey()).isEmpty();
    }
  }
}
