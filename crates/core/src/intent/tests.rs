use super::*;

#[test]
fn selectors_and_targets_parse_or_say_what_is_accepted() {
    assert_eq!(
        Selector::parse("vpc:prod-*"),
        Ok(Selector::Vpc("prod-*".into()))
    );
    assert_eq!(
        Selector::parse("account:111122223333"),
        Ok(Selector::Account("111122223333".into()))
    );
    assert_eq!(
        Selector::parse("tag:Name=prod-app"),
        Ok(Selector::Tag("Name".into(), "prod-app".into()))
    );
    assert!(
        Selector::parse("tag:team=net")
            .unwrap_err()
            .contains("only the Name tag")
    );
    for bad in ["vpc:", "prod", "subnet:x", "tag:Name"] {
        assert!(Selector::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(
        Target::parse("10.0.0.0/8"),
        Ok(Target::Net("10.0.0.0/8".parse().unwrap()))
    );
    assert!(matches!(Target::parse("vpc:shared"), Ok(Target::Vpcs(_))));
    assert!(Target::parse("10.0.0.300/8").is_err());
}

#[test]
fn globs_match_the_whole_name() {
    assert!(glob("prod-*", "prod-app"));
    assert!(glob("vpc-0a1b?c*", "vpc-0a1b2c3d"));
    assert!(!glob("prod", "prod-app"));
    assert!(!glob("prod-*", "nonprod-app"));
    assert!(glob("a.b", "a.b") && !glob("a.b", "axb"));
}

#[test]
fn an_intent_is_a_path_or_a_rule_and_its_fields_are_checked() {
    let file: IntentFile = toml::from_str(
        r#"
[[intent]]
name = "payments reaches on-prem"
from = "vpc:payments-prod"
to = "10.0.0.0/8"
min_locations = 2

[[intent]]
name = "corp forwards"
dns_rule = "corp.example.com"
min_endpoint_azs = 2
targets_reachable = true
"#,
    )
    .unwrap();
    assert_eq!(file.intents.len(), 2);
    assert!(file.intents[0].both_ways);
    assert_eq!(file.intents[0].expect, Expect::Reachable);
    for i in &file.intents {
        assert_eq!(i.check(), Ok(()));
    }
    let mut i = file.intents[0].clone();
    i.to = None;
    assert!(i.check().unwrap_err().starts_with("to:"));
    let mut i = file.intents[0].clone();
    i.dns_rule = Some("corp.example.com".into());
    assert!(i.check().is_err());
    let mut i = file.intents[1].clone();
    i.min_locations = Some(2);
    assert!(i.check().is_err());
    let bad: Result<IntentFile, _> = toml::from_str("[[intent]]\nname = \"x\"\nform = \"vpc:a\"\n");
    assert!(bad.unwrap_err().to_string().contains("form"));
}
