package io.settle.operators;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The pure core (the model, the codec, the state machine and its oracle) never imports Flink: it is
 * tested on its own and is the definition the Flink operators are tested against. Only {@code
 * io.settle.operators.flink} is glue.
 */
class ArchitectureTest {
    private static final JavaClasses OPERATORS =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.settle.operators");

    @Test
    void thePureCoreNeverImportsFlink() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.settle.operators.core..",
                        "io.settle.operators.model..",
                        "io.settle.operators.codec..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.flink..")
                .because(
                        "the pure core is plain Java; Flink glue lives in io.settle.operators.flink")
                .check(OPERATORS);
    }

    @Test
    void thePureCoreNeverReachesIntoTheFlinkGlue() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.settle.operators.core..",
                        "io.settle.operators.model..",
                        "io.settle.operators.codec..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.settle.operators.flink..")
                .check(OPERATORS);
    }
}
