# Terraform fixture for the editor tests (neovim.sh, helix.sh, vscode.sh): the integration
# `send` lacks SQS-SendMessage's required message body parameter
# (missing-required-parameter) and has nothing else wrong. The tests find lines by text,
# and complete parameter keys that must not be words of this file.
resource "aws_apigatewayv2_api" "api" {
  name          = "orders"
  protocol_type = "HTTP"
}

resource "aws_sqs_queue" "orders" {
  name = "orders"
}

resource "aws_iam_role" "api" {
  name = "orders-api"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "apigateway.amazonaws.com" }
    }]
  })
  inline_policy {
    name = "send"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", Resource = aws_sqs_queue.orders.arn }]
    })
  }
}

resource "aws_apigatewayv2_integration" "send" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_subtype    = "SQS-SendMessage"
  payload_format_version = "1.0"
  credentials_arn        = aws_iam_role.api.arn
  request_parameters = {
    QueueUrl = aws_sqs_queue.orders.url
  }
}

resource "aws_apigatewayv2_route" "orders" {
  api_id    = aws_apigatewayv2_api.api.id
  route_key = "POST /orders"
  target    = "integrations/${aws_apigatewayv2_integration.send.id}"
}
